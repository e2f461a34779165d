package io.chipstream.schema.serde;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.function.ObjDoubleConsumer;
import java.util.function.ObjIntConsumer;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;

/**
 * A generated class's constructor and typed setters, bound once as lambdas for {@link
 * CompiledReader}: Avro makes a specific record through reflection ({@code
 * Constructor.newInstance}, per record), and {@code put(int, Object)} takes every {@code int}
 * above 127, {@code long} and {@code double} as a new box. The reverse of {@link FieldGetters}.
 * Each method returns null when the class has no such member, and the reader falls back to
 * Avro's way.
 */
final class FieldSetters {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

  private FieldSetters() {}

  /** The class's public no-argument constructor, as a supplier; null if it has none. */
  @SuppressWarnings("unchecked")
  static Supplier<Object> constructor(Class<?> generated) {
    try {
      MethodHandle handle = LOOKUP.findConstructor(generated, MethodType.methodType(void.class));
      return (Supplier<Object>) LambdaMetafactory.metafactory(LOOKUP, "get",
          MethodType.methodType(Supplier.class), MethodType.methodType(Object.class), handle,
          MethodType.methodType(generated)).getTarget().invoke();
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    } catch (Throwable e) {
      throw new IllegalStateException("cannot bind " + generated.getName() + "()", e);
    }
  }

  static ObjIntConsumer<Object> intSetter(Class<?> generated, String field) {
    return bind(generated, field, int.class, ObjIntConsumer.class);
  }

  static ObjLongConsumer<Object> longSetter(Class<?> generated, String field) {
    return bind(generated, field, long.class, ObjLongConsumer.class);
  }

  static ObjDoubleConsumer<Object> doubleSetter(Class<?> generated, String field) {
    return bind(generated, field, double.class, ObjDoubleConsumer.class);
  }

  static BiConsumer<Object, Instant> instantSetter(Class<?> generated, String field) {
    return bind(generated, field, Instant.class, BiConsumer.class);
  }

  /** The setter a generated class has for {@code field}: {@code set} + its name. */
  @SuppressWarnings("unchecked")
  private static <F> F bind(Class<?> generated, String field, Class<?> type,
      Class<?> functional) {
    String setter = "set" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
    MethodHandle handle;
    try {
      handle = LOOKUP.findVirtual(generated, setter, MethodType.methodType(void.class, type));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
    Class<?> erased = type.isPrimitive() ? type : Object.class;
    try {
      return (F) LambdaMetafactory.metafactory(LOOKUP, "accept",
          MethodType.methodType(functional),
          MethodType.methodType(void.class, Object.class, erased), handle,
          MethodType.methodType(void.class, generated, type)).getTarget().invoke();
    } catch (Throwable e) {
      throw new IllegalStateException("cannot bind " + generated.getName() + "." + setter, e);
    }
  }
}
