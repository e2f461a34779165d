package io.chipstream.streams.app;

import io.chipstream.schema.registry.SchemaRegistryException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when processing a record throws. A record the topology cannot handle (a bug, a
 * corrupt catalog row) goes to the dead-letter topic and the app carries on, as with Kafka
 * Streams' {@link LogAndContinueProcessingExceptionHandler}. But when the schema registry cannot
 * be asked (unreachable, a server error, credentials refused), the record is fine and must not
 * be skipped: the task fails instead, its stream thread is replaced, and the record is processed
 * again from the last commit once the registry answers.
 */
public final class OutageAwareProcessingExceptionHandler
    extends LogAndContinueProcessingExceptionHandler {
  private static final Logger log =
      LoggerFactory.getLogger(OutageAwareProcessingExceptionHandler.class);

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record,
      Exception exception) {
    if (SchemaRegistryException.isOutage(exception)) {
      log.warn("{} partition {} offset {} waits: the schema registry is unavailable ({}); the"
          + " task retries from its last commit", context.topic(), context.partition(),
          context.offset(), rootMessage(exception));
      return Response.fail();
    }
    return super.handleError(context, record, exception);
  }

  private static String rootMessage(Throwable exception) {
    for (Throwable e = exception; e != null; e = e.getCause()) {
      if (e instanceof SchemaRegistryException) {
        return e.getMessage();
      }
    }
    return exception.toString();
  }
}
