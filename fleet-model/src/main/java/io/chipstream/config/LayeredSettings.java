package io.chipstream.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * Settings in layers, as every Chipstream command reads them: a flag wins over the environment,
 * which wins over the {@code --config} properties file, which wins over the default. A blank
 * flag or environment variable counts as not given.
 */
public final class LayeredSettings {
  private final Properties file;
  private final UnaryOperator<String> environment;

  /**
   * @param file the {@code --config} file's properties (see {@link #load})
   * @param environment an environment variable's value by name, null if unset
   */
  public LayeredSettings(Properties file, UnaryOperator<String> environment) {
    this.file = file;
    this.environment = environment;
  }

  /** The properties of the {@code --config} file; none if {@code file} is null. */
  public static Properties load(Path file) {
    Properties properties = new Properties();
    if (file != null) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (NoSuchFileException e) {
        throw new UncheckedIOException("cannot read --config " + file + ": no such file", e);
      } catch (AccessDeniedException e) {
        throw new UncheckedIOException("cannot read --config " + file + ": permission denied", e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read --config " + file + ": " + e.getMessage(), e);
      }
    }
    return properties;
  }

  /**
   * One setting.
   *
   * @param flag the flag's value, null if not given
   * @param fileKey its key in the {@code --config} file
   * @param envKey its environment variable
   * @param defaultValue what it is when no layer sets it
   */
  public String get(String flag, String fileKey, String envKey, String defaultValue) {
    if (flag != null && !flag.isBlank()) {
      return flag;
    }
    String fromEnv = environment.apply(envKey);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return file.getProperty(fileKey, defaultValue);
  }
}
