package io.chipstream.registry;

import io.chipstream.schema.registry.ErrorCodes;

/** An answer other than success: the HTTP status and Confluent's {@code error_code} and message. */
final class RegistryError extends RuntimeException {
  final int status;
  final int errorCode;

  RegistryError(int status, int errorCode, String message) {
    super(message, null, false, false);
    this.status = status;
    this.errorCode = errorCode;
  }

  static RegistryError subjectNotFound(String subject) {
    return new RegistryError(404, ErrorCodes.SUBJECT_NOT_FOUND,
        "Subject '" + subject + "' not found.");
  }

  static RegistryError versionNotFound(String subject, int version) {
    return new RegistryError(404, ErrorCodes.VERSION_NOT_FOUND,
        "Version " + version + " not found for subject '" + subject + "'.");
  }

  static RegistryError schemaNotFound(String detail) {
    return new RegistryError(404, ErrorCodes.SCHEMA_NOT_FOUND, detail);
  }

  static RegistryError invalidSchema(String detail) {
    return new RegistryError(422, ErrorCodes.INVALID_SCHEMA, "Invalid schema: " + detail);
  }

  static RegistryError invalidVersion(String version) {
    return new RegistryError(422, ErrorCodes.INVALID_VERSION, "The specified version '" + version
        + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string"
        + " \"latest\"");
  }

  static RegistryError invalidCompatibility(String level) {
    return new RegistryError(422, ErrorCodes.INVALID_COMPATIBILITY_LEVEL,
        "Invalid compatibility level '" + level + "'. Valid values are none, backward, forward,"
            + " full, backward_transitive, forward_transitive, and full_transitive");
  }

  static RegistryError badRequest(String detail) {
    return new RegistryError(400, 400, detail);
  }
}
