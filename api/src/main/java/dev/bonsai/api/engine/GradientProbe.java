package dev.bonsai.api.engine;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.model.Weights;
import java.util.List;

/** Gradients of the training loss, summed over batches (for Taylor, SNIP, movement and Fisher estimates). */
@Experimental("capability probes may gain methods and options as engines supply native paths")
public interface GradientProbe extends Capability {

    /** Per-parameter gradients of the mean loss of each batch, summed over {@code batches}. */
    Weights gradientSum(List<Batch> batches);
}
