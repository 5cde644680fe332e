package dev.bonsai.api.engine;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.model.Weights;
import java.util.List;

/** Diagonal curvature estimates for optimal brain damage. */
@Experimental("capability probes may gain methods and options as engines supply native paths")
public interface CurvatureProbe extends Capability {

    /** How the diagonal is estimated. */
    enum Estimator {
        /** Mean squared per-sample gradient of the loss at the true labels. */
        EMPIRICAL_FISHER,
        /** Gauss–Newton / Monte-Carlo Fisher: labels sampled from the model's own predictions. */
        GAUSS_NEWTON,
        /** Hutchinson's E[z ⊙ Hz] with Rademacher z. */
        HUTCHINSON
    }

    /**
     * The diagonal estimate per parameter over {@code batches}, seeded.
     *
     * @param samples for {@link Estimator#EMPIRICAL_FISHER}, how many of the batches' samples to use (≤ 0: all);
     *                for {@link Estimator#GAUSS_NEWTON}, how many (sample, sampled label) draws to average, cycling
     *                over the samples (≤ 0: one per sample); for {@link Estimator#HUTCHINSON}, how many Rademacher
     *                probes (positive)
     */
    Weights diagonal(Estimator estimator, List<Batch> batches, int samples, long seed);
}
