package dev.bonsai.api.engine;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.model.Weights;
import java.util.List;

/**
 * Sums of squared per-sample gradients: the primitive of the diagonal empirical Fisher and Gauss–Newton estimates.
 * The core computes it from {@link GradientProbe} one sample at a time; an engine that can do it for a whole batch at
 * once (per-sample gradients of dense layers are outer products of the layer's input and output gradient) offers it
 * natively, for the models it can.
 */
@Experimental("capability probes may gain methods and options as engines supply native paths")
public interface SquaredGradientProbe extends Capability {

    /**
     * {@code Σₛ gₛ ⊙ gₛ} over every sample s of every batch, per trainable parameter, with {@code gₛ} the gradient of
     * sample s's loss (the mean cross-entropy over its labels, at the batch's labels) in evaluation mode. Pruned
     * coordinates are included.
     */
    Weights squaredGradientSum(List<Batch> batches);
}
