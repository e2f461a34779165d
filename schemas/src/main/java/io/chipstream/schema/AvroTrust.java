package io.chipstream.schema;

import io.chipstream.avro.ChipCapability;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Lets Avro instantiate Chipstream's generated classes without any JVM flag.
 *
 * <p>Avro 1.12 refuses to load a class named by a schema unless it is trusted (a guard against
 * deserialisation gadgets), and by default trusts only a few JDK and Avro packages. The usual fix,
 * the {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property, would have to be set on every
 * JVM that reads our topics. Instead we widen the global predicate in code, by the packages
 * Chipstream's schemas generate into: {@code io.chipstream.avro} (the topics) and {@code
 * io.chipstream.<module>.avro} (a module's internal state). Everything Avro trusted before stays
 * trusted, and nothing else is added.
 */
public final class AvroTrust {

  /** The package every {@code .avsc} in {@code schemas/} generates into. */
  public static final String GENERATED_PACKAGE = ChipCapability.class.getPackageName();

  private static boolean installed;

  private AvroTrust() {}

  /** Idempotent; safe to call from every serde and entry point. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(
        type -> isGenerated(type) || previous.isTrusted(type));
    installed = true;
  }

  static boolean isGenerated(Class<?> type) {
    String pkg = type.getPackageName();
    return GENERATED_PACKAGE.equals(pkg)
        || (pkg.startsWith("io.chipstream.") && pkg.endsWith(".avro")
            && pkg.indexOf('.', "io.chipstream.".length()) == pkg.length() - ".avro".length());
  }
}
