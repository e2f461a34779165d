package io.chipstream.catalog;

import java.util.Arrays;
import java.util.Optional;

/** The formulas of derived catalog figures, as documented in {@code catalog/CATALOG.md}. */
enum Formula {
  F1("cores x INT8 ops per cycle per core x base clock"),
  F2("peak 16-bit TFLOPS / 1.413 TFLOPS per W (H100 SXM: 989 TFLOPS / 700 W)"),
  F3("memory bandwidth x 0.209 W per GB/s (H100 SXM: 700 W / 3350 GB/s)"),
  F4("peak TOPS / 3.37 TOPS per W (L4: 242.5 dense TOPS / 72 W)"),
  F5("cores x 3.75 W (EPYC 9654: 360 W TDP / 96 cores)"),
  F6("sparse peak / 2"),
  F7("memory channels x MT/s x 8 bytes"),
  F8("instance price x chip cores / instance cores, or / chips per instance"),
  F11("A17 Pro's published 30 tokens/s x 1.17 (17% more memory bandwidth)"),
  F12("purchase price / 26,280 h (three years)"),
  F13("GiB x 1.0737"),
  F14("0: a request on the user's own device costs the operator nothing"),
  R1("0.5 x memory bandwidth / model bytes"),
  R2("0.286 x peak ops / (2 x parameters); 0.286 calibrated on A17 Pro's published 1,667 tokens/s");

  private final String text;

  Formula(String text) {
    this.text = text;
  }

  /** The formula's id and text, as a figure's {@code source}. */
  String describe() {
    return name() + ": " + text;
  }

  static Optional<Formula> parse(String id) {
    return Arrays.stream(values()).filter(f -> f.name().equals(id)).findFirst();
  }
}
