package io.chipstream.schema.serde;

import java.lang.invoke.MethodHandle;
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
  private FieldSetters() {}

  /** The class's public no-argument constructor, as a supplier; null if it has none. */
  static Supplier<Object> constructor(Class<?> generated) {
    MethodHandle handle;
    try {
      handle = GeneratedClass.LOOKUP.findConstructor(generated,
          MethodType.methodType(void.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
    return GeneratedClass.lambda(handle, Supplier.class, "get",
        MethodType.methodType(Object.class), MethodType.methodType(generated));
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
  private static <F> F bind(Class<?> generated, String field, Class<?> type,
      Class<?> functional) {
    MethodHandle handle;
    try {
      handle = GeneratedClass.LOOKUP.findVirtual(generated,
          GeneratedClass.accessor("set", field), MethodType.methodType(void.class, type));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
    Class<?> erased = type.isPrimitive() ? type : Object.class;
    return GeneratedClass.lambda(handle, functional, "accept",
        MethodType.methodType(void.class, Object.class, erased),
        MethodType.methodType(void.class, generated, type));
  }
}
