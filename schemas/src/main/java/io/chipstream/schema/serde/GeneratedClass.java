package io.chipstream.schema.serde;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * What {@link FieldGetters} and {@link FieldSetters} share: which generated class a model makes
 * for a record schema, its accessors' names, and the binding of a member as a lambda (Java's
 * own mechanism, so the JIT treats a call through it as a plain call).
 */
final class GeneratedClass {
  static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

  private GeneratedClass() {}

  /**
   * The generated class {@code model} makes for {@code schema}; null for a generic record, or
   * a class Avro builds through a constructor that takes the schema.
   */
  static Class<?> of(GenericData model, Schema schema) {
    if (!(model instanceof SpecificData specific)) {
      return null;
    }
    Class<?> generated = specific.getClass(schema);
    return generated != null && SpecificRecord.class.isAssignableFrom(generated)
        && !SpecificData.SchemaConstructable.class.isAssignableFrom(generated) ? generated
        : null;
  }

  /** A generated accessor's name: {@code prefix} + the field's name, capitalised. */
  static String accessor(String prefix, String field) {
    return prefix + Character.toUpperCase(field.charAt(0)) + field.substring(1);
  }

  /**
   * {@code target} as an instance of {@code functional}, whose method {@code method} has the
   * erased type {@code erased} and is called as {@code instantiated}.
   */
  @SuppressWarnings("unchecked")
  static <F> F lambda(MethodHandle target, Class<?> functional, String method,
      MethodType erased, MethodType instantiated) {
    try {
      return (F) LambdaMetafactory.metafactory(LOOKUP, method, MethodType.methodType(functional),
          erased, target, instantiated).getTarget().invoke();
    } catch (Throwable e) {
      throw new IllegalStateException("cannot bind " + target, e);
    }
  }
}
