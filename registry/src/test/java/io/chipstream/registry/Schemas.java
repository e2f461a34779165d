package io.chipstream.registry;

/** Small schemas that evolve in known ways, for the registry tests. */
final class Schemas {
  private Schemas() {}

  /** Version 1: two fields. */
  static final String V1 = """
      {"type":"record","name":"Reading","namespace":"test","fields":[
        {"name":"sensor","type":"string"},{"name":"watts","type":"double"}]}""";

  /** V1 plus a field with a default: BACKWARD and FORWARD compatible with V1. */
  static final String V2 = """
      {"type":"record","name":"Reading","namespace":"test","fields":[
        {"name":"sensor","type":"string"},{"name":"watts","type":"double"},
        {"name":"site","type":"string","default":"unknown"}]}""";

  /** V1 plus a field without a default: new readers cannot read V1 data (not BACKWARD). */
  static final String V1_PLUS_REQUIRED = """
      {"type":"record","name":"Reading","namespace":"test","fields":[
        {"name":"sensor","type":"string"},{"name":"watts","type":"double"},
        {"name":"rack","type":"int"}]}""";

  /** V1 without "watts": a reader of this ignores watts in V1 data (BACKWARD with V1). */
  static final String SENSOR_ONLY = """
      {"type":"record","name":"Reading","namespace":"test","fields":[
        {"name":"sensor","type":"string"}]}""";

  /**
   * "watts" back as a string with a default: reads SENSOR_ONLY data (BACKWARD with it) but not V1
   * data, where watts is a double (so not BACKWARD_TRANSITIVE after V1, SENSOR_ONLY).
   */
  static final String WATTS_AS_STRING = """
      {"type":"record","name":"Reading","namespace":"test","fields":[
        {"name":"sensor","type":"string"},{"name":"watts","type":"string","default":""}]}""";

  static final String OTHER = """
      {"type":"record","name":"Other","namespace":"test","fields":[{"name":"x","type":"int"}]}""";
}
