package dev.bonsai.api.engine;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.model.Weights;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/** Hessian-vector products of the training loss (exact OBD diagonals, Hutchinson estimates). */
@Experimental("capability probes may gain methods and options as engines supply native paths")
public interface HessianVectorProbe extends Capability {

    /** H·v, with H the Hessian of the mean loss over {@code batches} and v given per parameter. */
    Weights hessianVector(Weights v, List<Batch> batches);

    /**
     * {@code count} products with the same H: for k in {@code [0, count)} in order, {@code sink} receives
     * {@code vectors.apply(k)} and H times it. Vectors are asked for one at a time, so they need not all be held. An
     * engine may share the work that does not depend on the vector (the forward pass and the first backward); by
     * default each product is computed on its own.
     */
    default void hessianVectors(List<Batch> batches, int count, IntFunction<Weights> vectors,
            BiConsumer<Weights, Weights> sink) {
        for (int k = 0; k < count; k++) {
            Weights v = vectors.apply(k);
            sink.accept(v, hessianVector(v, batches));
        }
    }
}
