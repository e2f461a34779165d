package io.chipstream.streams.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StaticAssetsTest {
  @Test
  void theDashboardAndItsChartLibraryAreOnTheClasspath() {
    ClassLoader loader = AppServer.class.getClassLoader();
    assertThat(loader.getResource("web/dashboard.html")).isNotNull();
    assertThat(loader.getResource("web/dashboard.js")).isNotNull();
    assertThat(loader.getResource(AppServer.UPLOT + "uPlot.iife.min.js"))
        .as("the uPlot WebJar version in AppServer matches the dependency").isNotNull();
    assertThat(loader.getResource(AppServer.UPLOT + "uPlot.min.css")).isNotNull();
  }
}
