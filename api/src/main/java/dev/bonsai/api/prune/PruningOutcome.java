package dev.bonsai.api.prune;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.model.Weights;
import java.util.Objects;

/**
 * What a {@link MaskSelectingStrategy} returns: the masks it selected and the new values of the pruned parameters
 * (the host loads the weights, then enforces the masks).
 *
 * @param masks   a mask for every prunable parameter
 * @param weights the updated parameters (any subset of the model's)
 */
@Experimental("strategies that select their own masks are new to the SPI; the outcome may gain fields")
public record PruningOutcome(MaskSet masks, Weights weights) {

    /** Checks both are present. */
    public PruningOutcome {
        Objects.requireNonNull(masks, "masks");
        Objects.requireNonNull(weights, "weights");
    }
}
