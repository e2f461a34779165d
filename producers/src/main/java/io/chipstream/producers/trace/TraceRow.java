package io.chipstream.producers.trace;

import java.time.Instant;

/**
 * One request of a trace.
 *
 * @param arrival when it arrived
 * @param contextTokens prompt tokens
 * @param generatedTokens output tokens
 * @param line its 1-based line in the file
 */
public record TraceRow(Instant arrival, int contextTokens, int generatedTokens, int line) {}
