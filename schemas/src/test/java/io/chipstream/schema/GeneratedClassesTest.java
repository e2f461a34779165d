package io.chipstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/**
 * The generated classes are those of the .avsc files as they are now, named types embedded in
 * other records included: a class left from an older build writes records that the schema it
 * registers does not describe (the build regenerates them all; this says so if it stops).
 */
class GeneratedClassesTest {
  private static final Path AVRO = Path.of("src", "main", "avro");

  @Test
  void everyClassCarriesTheSchemaOfItsFileAndOfEveryTypeItRefersTo() throws Exception {
    List<Schema> parsed = parseAll(Stream.concat(files(AVRO.resolve("common")).stream(),
        files(AVRO).stream()).toList());
    assertThat(parsed).hasSize(18);

    for (Schema schema : parsed) {
      Schema generated = (Schema) Class.forName(schema.getFullName())
          .getMethod("getClassSchema").invoke(null);
      // The canonical forms: names, types, fields and symbols (the class's schema also carries
      // the generator's avro.java.string properties).
      assertThat(SchemaNormalization.toParsingForm(generated)).as(schema.getFullName())
          .isEqualTo(SchemaNormalization.toParsingForm(schema));
    }
  }

  /**
   * Parses every file with one parser, as the build does: the shared types first, enums before
   * the records that refer to them (the parser needs a type before a default of it).
   */
  private static List<Schema> parseAll(List<Path> files) throws IOException {
    Schema.Parser parser = new Schema.Parser();
    List<Schema> parsed = new ArrayList<>();
    for (boolean enums : new boolean[] {true, false}) {
      for (Path file : files) {
        if (Files.readString(file).contains("\"type\": \"enum\"") == enums) {
          parsed.add(parser.parse(file.toFile()));
        }
      }
    }
    return parsed;
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList();
    }
  }
}
