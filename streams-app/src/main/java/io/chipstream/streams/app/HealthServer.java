package io.chipstream.streams.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The app's web port. For now it serves {@code GET /health}: 200 with the Kafka Streams state
 * when RUNNING, 503 otherwise. Binds to 127.0.0.1 unless told otherwise.
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer http;

  public HealthServer(String host, int port, KafkaStreams streams) {
    try {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 16);
    } catch (BindException e) {
      throw new IllegalStateException("port " + port + " on " + host + " is already in use", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    http.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "chipstream-health");
      t.setDaemon(true);
      return t;
    }));
    http.createContext("/health", exchange -> {
      KafkaStreams.State state = streams.state();
      boolean ready = state == KafkaStreams.State.RUNNING;
      respond(exchange, ready ? 200 : 503,
          "{\"status\":\"" + (ready ? "UP" : "DOWN") + "\",\"state\":\"" + state + "\"}");
    });
    http.createContext("/", exchange -> respond(exchange, 404,
        "{\"error\":\"not found; try /health\"}"));
    http.start();
  }

  public int port() {
    return http.getAddress().getPort();
  }

  public String url() {
    return "http://" + http.getAddress().getAddress().getHostAddress() + ":" + port();
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
