package io.chipstream.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine answers. Testcontainers' own check is authoritative but slow and loud
 * where there is plainly no engine, so it is asked only when some sign of one exists.
 */
final class DockerProbe {
  private DockerProbe() {}

  static boolean dockerAvailable() {
    boolean hint = System.getenv("DOCKER_HOST") != null
        || Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))
        || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
    if (!hint) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
