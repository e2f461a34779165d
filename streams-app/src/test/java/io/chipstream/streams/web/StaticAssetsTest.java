package io.chipstream.streams.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StaticAssetsTest {
  /**
   * The smallest colour difference (CIE76 delta E) between two families' lines: about 2 is just
   * noticeable side by side, and thin lines and legend boxes need far more.
   */
  private static final double MIN_DELTA_E = 40;

  @Test
  void theDashboardAndItsChartLibraryAreOnTheClasspath() {
    ClassLoader loader = AppServer.class.getClassLoader();
    assertThat(loader.getResource("web/dashboard.html")).isNotNull();
    assertThat(loader.getResource("web/dashboard.js")).isNotNull();
    assertThat(loader.getResource(AppServer.UPLOT + "uPlot.iife.min.js"))
        .as("the uPlot WebJar version in AppServer matches the dependency").isNotNull();
    assertThat(loader.getResource(AppServer.UPLOT + "uPlot.min.css")).isNotNull();
  }

  @Test
  void everyFamilyHasAColourClearlyUnlikeTheOthers() throws IOException {
    String js = resource("web/dashboard.js");
    List<String> families = quoted(js, "FAMILIES");
    List<String> colours = quoted(js, "COLORS");
    assertThat(colours).hasSameSizeAs(families);
    for (int i = 0; i < colours.size(); i++) {
      for (int j = i + 1; j < colours.size(); j++) {
        assertThat(deltaE(lab(colours.get(i)), lab(colours.get(j))))
            .as("%s (%s) against %s (%s)", families.get(i), colours.get(i), families.get(j),
                colours.get(j))
            .isGreaterThanOrEqualTo(MIN_DELTA_E);
      }
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = AppServer.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The strings of {@code const NAME = [...]}. */
  private static List<String> quoted(String js, String name) {
    Matcher array = Pattern.compile("const " + name + " = \\[([^\\]]*)\\]").matcher(js);
    assertThat(array.find()).as(name).isTrue();
    Matcher item = Pattern.compile("\"([^\"]*)\"").matcher(array.group(1));
    List<String> items = new ArrayList<>();
    while (item.find()) {
      items.add(item.group(1));
    }
    return items;
  }

  /** An sRGB colour {@code #rrggbb} in CIELAB (D65). */
  private static double[] lab(String hex) {
    double r = linear(Integer.parseInt(hex.substring(1, 3), 16));
    double g = linear(Integer.parseInt(hex.substring(3, 5), 16));
    double b = linear(Integer.parseInt(hex.substring(5, 7), 16));
    double x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
    double y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
    double z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
    return new double[] {116 * y - 16, 500 * (x - y), 200 * (y - z)};
  }

  private static double linear(int channel) {
    double c = channel / 255.0;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  private static double f(double t) {
    return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
  }

  private static double deltaE(double[] a, double[] b) {
    return Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2)
        + Math.pow(a[2] - b[2], 2));
  }
}
