package dev.bonsai.api.engine;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.model.Weights;

/**
 * First-order movement scores accumulated during training, for movement pruning: once {@linkplain #start started},
 * every optimizer step t of {@link Network#train} adds −W<sub>t</sub> ⊙ G<sub>t</sub> to a score S per trainable
 * element, with W<sub>t</sub> the weights the step's gradient G<sub>t</sub> (of the training loss, before clipping
 * and weight decay) was computed at; so S = −Σ<sub>t</sub> W<sub>t</sub> ⊙ G<sub>t</sub> over the steps since the
 * last start. Weights moving away from zero score high, weights moving towards zero low.
 *
 * <p>The sum lives where the weights do (on the device) and is updated there at every step; only {@link #scores()}
 * copies it to the host. Pruned weights are zero and so add nothing. Starting again resets the sum, so a host can
 * accumulate over each round's fine-tuning alone.
 *
 * <p>V. Sanh, T. Wolf and A. M. Rush, "Movement Pruning: Adaptive Sparsity by Fine-Tuning", NeurIPS 2020, eq. (5)
 * (S<sub>i,j</sub><sup>(T)</sup> = −α Σ<sub>t&lt;T</sub> (∂L/∂W<sub>i,j</sub>)<sup>(t)</sup>
 * W<sub>i,j</sub><sup>(t)</sup>, here with α = 1).
 */
@Experimental("training-time capabilities may gain methods as strategies need more of them")
public interface MovementProbe extends Capability {

    /** Sets every score to zero and accumulates from the next optimizer step on, in this and later training calls. */
    void start();

    /** Stops accumulating and releases the sums; {@link #scores()} then fails until the next {@link #start()}. */
    void stop();

    /** Whether the scores are being accumulated. */
    boolean started();

    /** The optimizer steps accumulated since the last {@link #start()}. */
    long steps();

    /**
     * A host copy of S for every trainable parameter (zeros after a start without steps).
     *
     * @throws IllegalStateException when not {@linkplain #started() started}
     */
    Weights scores();
}
