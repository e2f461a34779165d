package io.chipstream.streams.app;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when Kafka Streams cannot deserialize a record of a topic it reads with a typed
 * serde (the chip catalog, the app's internal topics; requests and telemetry are read as bytes
 * and checked by the topology). Bad bytes go to the dead-letter topic and the app carries on;
 * a schema registry that cannot be asked fails instead, so the record is read again once it
 * answers (see {@link OutageAwareProcessingExceptionHandler}).
 */
public final class OutageAwareDeserializationExceptionHandler
    extends LogAndContinueExceptionHandler {
  private static final Logger log =
      LoggerFactory.getLogger(OutageAwareDeserializationExceptionHandler.class);

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
      Exception exception) {
    if (OutageAwareProcessingExceptionHandler.isOutage(exception)) {
      log.warn("{} partition {} offset {} waits: the schema registry is unavailable ({})",
          record.topic(), record.partition(), record.offset(), exception.getMessage());
      return Response.fail();
    }
    return super.handleError(context, record, exception);
  }
}
