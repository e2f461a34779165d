package io.chipstream.testkit;

/** Whether tests that need containers beyond the broker can run here. */
public final class Docker {
  private Docker() {}

  /** True where a Docker engine answers; for {@code @EnabledIf("...Docker#available")}. */
  public static boolean available() {
    return DockerProbe.dockerAvailable();
  }
}
