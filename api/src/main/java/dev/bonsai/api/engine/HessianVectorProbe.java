package dev.bonsai.api.engine;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.model.Weights;
import java.util.List;

/** Hessian-vector products of the training loss (exact OBD diagonals, Hutchinson estimates). */
@Experimental("capability probes may gain methods and options as engines supply native paths")
public interface HessianVectorProbe extends Capability {

    /** H·v, with H the Hessian of the mean loss over {@code batches} and v given per parameter. */
    Weights hessianVector(Weights v, List<Batch> batches);
}
