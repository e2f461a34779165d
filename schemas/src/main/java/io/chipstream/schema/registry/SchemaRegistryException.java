package io.chipstream.schema.registry;

/**
 * An error answered by a Confluent-compatible schema registry: its HTTP status, its
 * {@code error_code} and its message. Subclasses name the codes callers act on.
 */
public class SchemaRegistryException extends RuntimeException {
  private final int status;
  private final int errorCode;

  public SchemaRegistryException(int status, int errorCode, String message) {
    super(message + " (HTTP " + status + ", error_code " + errorCode + ")");
    this.status = status;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = -1;
    this.errorCode = -1;
  }

  /**
   * True when {@code failure} (or a cause of it) is a registry that could not be asked:
   * unreachable, a server error, credentials refused. Such a failure is not the record's fault,
   * so the record must be read again later, not skipped. "Not found" is the record's fault.
   */
  public static boolean isOutage(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof SchemaRegistryException && !(e instanceof NotFoundException)) {
        return true;
      }
    }
    return false;
  }

  /** The HTTP status, or -1 when no answer came. */
  public int status() {
    return status;
  }

  /** Confluent's {@code error_code}, or -1 when no answer came. */
  public int errorCode() {
    return errorCode;
  }

  /** Maps a registry answer to the most specific exception for its error code. */
  public static SchemaRegistryException of(int status, int errorCode, String message) {
    return switch (errorCode) {
      case ErrorCodes.SUBJECT_NOT_FOUND, ErrorCodes.VERSION_NOT_FOUND,
          ErrorCodes.SCHEMA_NOT_FOUND, ErrorCodes.SUBJECT_SOFT_DELETED,
          ErrorCodes.SUBJECT_NOT_SOFT_DELETED, ErrorCodes.SCHEMA_VERSION_SOFT_DELETED,
          ErrorCodes.SCHEMA_VERSION_NOT_SOFT_DELETED, ErrorCodes.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED ->
          new NotFoundException(status, errorCode, message);
      case ErrorCodes.INCOMPATIBLE_SCHEMA, ErrorCodes.INCOMPATIBLE_SCHEMA_CONFLICT ->
          new IncompatibleSchemaException(status, errorCode, message);
      case ErrorCodes.INVALID_SCHEMA, ErrorCodes.INVALID_VERSION,
          ErrorCodes.INVALID_COMPATIBILITY_LEVEL ->
          new InvalidRequestException(status, errorCode, message);
      default -> switch (status) {
        case 401, 403 -> new AuthorizationException(status, errorCode, message);
        case 404 -> new NotFoundException(status, errorCode, message);
        case 409 -> new IncompatibleSchemaException(status, errorCode, message);
        case 400, 413, 415, 422 -> new InvalidRequestException(status, errorCode, message);
        default -> new SchemaRegistryException(status, errorCode, message);
      };
    };
  }

  /** A subject, version, schema id or subject-level config that does not exist (404). */
  public static class NotFoundException extends SchemaRegistryException {
    public NotFoundException(int status, int errorCode, String message) {
      super(status, errorCode, message);
    }
  }

  /** The schema breaks the subject's compatibility rule (409). */
  public static class IncompatibleSchemaException extends SchemaRegistryException {
    public IncompatibleSchemaException(int status, int errorCode, String message) {
      super(status, errorCode, message);
    }
  }

  /** The request was malformed: an invalid schema, version or compatibility level (4xx). */
  public static class InvalidRequestException extends SchemaRegistryException {
    public InvalidRequestException(int status, int errorCode, String message) {
      super(status, errorCode, message);
    }
  }

  /** Wrong or missing credentials (401, 403): never retried. */
  public static class AuthorizationException extends SchemaRegistryException {
    public AuthorizationException(int status, int errorCode, String message) {
      super(status, errorCode, message);
    }
  }

  /** The registry did not answer after the configured retries. */
  public static class UnreachableException extends SchemaRegistryException {
    public UnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
