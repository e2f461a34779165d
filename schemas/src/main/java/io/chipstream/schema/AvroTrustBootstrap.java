package io.chipstream.schema;

import org.apache.avro.Conversion;

/**
 * Installs {@link AvroTrust} before any generated class needs it, with no call from the user.
 *
 * <p>Every generated class builds its own {@code SpecificData} in its static initializer, and
 * every {@code GenericData} loads the {@link Conversion}s registered as services ({@code
 * META-INF/services/org.apache.avro.Conversion}). Registering this one makes Avro itself run
 * {@link AvroTrust#install()} the moment the first generated class, or any Avro data model, is
 * set up. It converts nothing: its logical type appears in no schema.
 */
public final class AvroTrustBootstrap extends Conversion<AvroTrustBootstrap.Unused> {
  static {
    AvroTrust.install();
  }

  /** A type no datum has. */
  public static final class Unused {
    private Unused() {}
  }

  @Override
  public Class<Unused> getConvertedType() {
    return Unused.class;
  }

  @Override
  public String getLogicalTypeName() {
    return "io.chipstream.trust-bootstrap";
  }
}
