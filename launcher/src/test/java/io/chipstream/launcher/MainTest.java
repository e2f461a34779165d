package io.chipstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void standardOutputsErrorsReachTheCommandsWriter() {
    PrintStream stdout = System.out;
    PrintStream closedPipe = new PrintStream(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("Broken pipe");
      }
    });
    System.setOut(closedPipe);
    try {
      // As picocli makes it: System.out under a writer, so the stream's error stays in it.
      PrintWriter plain = new PrintWriter(new OutputStreamWriter(System.out,
          StandardCharsets.UTF_8), true);
      PrintWriter out = Main.reportingStdoutErrors(plain);
      out.println("{}");

      assertThat(plain.checkError()).isFalse();
      assertThat(out.checkError()).isTrue();
    } finally {
      System.setOut(stdout);
    }
  }
}
