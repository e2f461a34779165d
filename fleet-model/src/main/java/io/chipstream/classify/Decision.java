package io.chipstream.classify;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ExecutionTarget;
import io.chipstream.avro.RoutingReason;
import java.util.List;

/**
 * Where a request runs and why.
 *
 * @param target LOCAL or CLOUD
 * @param chip the chosen chip; null when no chip can serve the request
 * @param reasons every reason that applied, in the order the rules found them
 * @param estimate the chosen chip's estimate; zeros when there is no chip
 */
public record Decision(ExecutionTarget target, ChipCapability chip, List<RoutingReason> reasons,
    Estimate estimate) {}
