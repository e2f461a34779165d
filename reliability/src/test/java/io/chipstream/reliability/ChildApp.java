package io.chipstream.reliability;

import io.chipstream.streams.app.StreamsMain;
import java.io.IOException;

/**
 * The Streams app as a test runs it in a child JVM: {@code StreamsMain}, plus a watch on standard
 * input so that the app stops (cleanly, through its shutdown hook) when the test JVM that started
 * it dies, even by SIGKILL.
 */
public final class ChildApp {
  private ChildApp() {}

  public static void main(String[] args) {
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // The parent never writes; end of stream means it is gone.
        }
      } catch (IOException closed) {
        // Same as end of stream.
      }
      System.exit(0);
    }, "parent-watch");
    watcher.setDaemon(true);
    watcher.start();
    StreamsMain.main(args);
  }
}
