package io.chipstream.localkafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What a {@link LocalKafkaBroker} was asked for; ports of 0 mean "pick". */
record BrokerSettings(
    Path dataDir,
    String host,
    int port,
    int controllerPort,
    Map<String, String> serverProperties,
    Duration startupTimeout,
    Duration stopTimeout,
    List<String> jvmOptions,
    String javaCommand,
    String classpath,
    String newClusterId) {}
