package io.chipstream.producers.fleet;

import io.chipstream.avro.DeviceState;
import io.chipstream.avro.ThermalState;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * A simulated phone, tablet or laptop whose battery drains or charges and whose temperature
 * rises with use and falls at rest, between its requests.
 */
final class SimDevice {
  /** Percent per hour. */
  private static final double DRAIN = 12;
  private static final double CHARGE = 60;

  final String id;
  final String chip;
  private double battery;
  private boolean charging;
  private double heat; // 0..1; thermal state by thresholds
  private Instant last;

  SimDevice(String id, String chip, Random random, Instant now) {
    this.id = id;
    this.chip = chip;
    this.battery = 15 + random.nextDouble() * 85;
    this.charging = random.nextDouble() < 0.25;
    this.heat = random.nextDouble() * 0.3;
    this.last = now;
  }

  /** Advances the device's state to {@code now}, then counts one more request's work. */
  DeviceState use(Instant now, Random random) {
    double hours = Math.max(0, Duration.between(last, now).toMillis()) / 3_600_000.0;
    last = now;
    battery += charging ? CHARGE * hours : -DRAIN * hours;
    battery = Math.max(1, Math.min(100, battery));
    if (charging && battery >= 100 || random.nextDouble() < 0.02) {
      charging = !charging;
    }
    if (!charging && battery < 8) {
      charging = true; // people plug in nearly empty phones
    }
    heat = Math.max(0, heat * Math.exp(-hours * 6) + random.nextGaussian() * 0.03 + 0.02);
    heat = Math.min(1, heat);
    return new DeviceState((int) Math.round(battery), charging, thermal());
  }

  private ThermalState thermal() {
    if (heat > 0.85) {
      return ThermalState.CRITICAL;
    }
    if (heat > 0.65) {
      return ThermalState.SERIOUS;
    }
    return heat > 0.35 ? ThermalState.FAIR : ThermalState.NOMINAL;
  }
}
