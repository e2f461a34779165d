package io.chipstream.schema;

import io.chipstream.avro.DeviceState;
import io.chipstream.avro.Feature;
import io.chipstream.avro.InferenceRequest;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Run in a fresh JVM by {@code AvroTrustTest}: uses the generated classes the way a user would,
 * with no flag and no set-up call, and exits 0 only if everything works.
 */
public final class TrustProbe {
  private TrustProbe() {}

  public static void main(String[] args) throws Exception {
    InferenceRequest request = InferenceRequest.newBuilder() // enum defaults: loads classes
        .setRequestId("r").setDeviceId("d").setDeviceChip("a17-pro").setTimestamp(Instant.EPOCH)
        .setFeature(Feature.SIRI).setPromptTokens(1).setMaxOutputTokens(1)
        .setDeviceState(DeviceState.newBuilder().build())
        .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(InferenceRequest.class).write(request, encoder);
    encoder.flush();
    InferenceRequest back = new SpecificDatumReader<>(InferenceRequest.class)
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    System.exit(back.equals(request) ? 0 : 3);
  }
}
