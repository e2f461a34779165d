package io.chipstream.streams.classify;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.InferenceRequest;

/**
 * A request joined with its device chip's catalog row.
 *
 * @param request the valid request
 * @param deviceChip its device chip, or null when the catalog lacks it
 */
public record Enriched(InferenceRequest request, ChipCapability deviceChip) {}
