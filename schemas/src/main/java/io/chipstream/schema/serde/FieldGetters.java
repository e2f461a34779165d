package io.chipstream.schema.serde;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.apache.avro.Conversion;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;

/**
 * Writers of one field of a generated class that read it through the class's typed getter:
 * {@code get(int)} returns an {@code Object}, so every {@code double}, {@code long} and
 * {@code int} above 127 it returns is a new box, and every {@code timestamp-millis} becomes an
 * {@code Instant}, then a boxed {@code Long} through Avro's conversion. The getter is bound
 * once, as a lambda ({@link GeneratedClass}).
 */
final class FieldGetters {
  /** Writes one field of a record of the generated class it was made for. */
  @FunctionalInterface
  interface FieldWriter {
    void write(Object record, Output out);
  }

  private FieldGetters() {}

  /**
   * A writer of {@code field} through its getter, for the types that box: {@code double},
   * {@code long}, {@code int} and {@code timestamp-millis}; null for any other, or when the
   * class has no such getter (a generated class names it {@code get} + the field's name).
   */
  static FieldWriter writer(Class<?> generated, Schema.Field field, Conversion<?> conversion) {
    Schema schema = field.schema();
    String getter = GeneratedClass.accessor("get", field.name());
    try {
      if (schema.getLogicalType() == null) {
        switch (schema.getType()) {
          case DOUBLE -> {
            ToDoubleFunction<Object> get = bind(generated, getter, double.class,
                ToDoubleFunction.class, "applyAsDouble");
            return (record, out) -> out.writeDouble(get.applyAsDouble(record));
          }
          case LONG -> {
            ToLongFunction<Object> get = bind(generated, getter, long.class,
                ToLongFunction.class, "applyAsLong");
            return (record, out) -> out.writeLong(get.applyAsLong(record));
          }
          case INT -> {
            ToIntFunction<Object> get = bind(generated, getter, int.class, ToIntFunction.class,
                "applyAsInt");
            return (record, out) -> out.writeInt(get.applyAsInt(record));
          }
          default -> {
            return null;
          }
        }
      }
      if (schema.getType() == Schema.Type.LONG
          && conversion instanceof TimeConversions.TimestampMillisConversion) {
        Function<Object, Instant> get = bind(generated, getter, Instant.class, Function.class,
            "apply");
        // What the conversion's toLong does, without its box.
        return (record, out) -> out.writeLong(get.apply(record).toEpochMilli());
      }
      return null;
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null; // no typed getter: the field is written through get(int)
    }
  }

  private static <F> F bind(Class<?> generated, String getter, Class<?> returns,
      Class<?> functional, String method) throws NoSuchMethodException,
      IllegalAccessException {
    MethodHandle handle = GeneratedClass.LOOKUP.findVirtual(generated, getter,
        MethodType.methodType(returns));
    Class<?> erased = returns.isPrimitive() ? returns : Object.class;
    return GeneratedClass.lambda(handle, functional, method,
        MethodType.methodType(erased, Object.class), MethodType.methodType(returns, generated));
  }
}
