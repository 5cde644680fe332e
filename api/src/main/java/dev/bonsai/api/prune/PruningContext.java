package dev.bonsai.api.prune;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Weights;
import java.util.List;
import java.util.SplittableRandom;

/** What a strategy sees when it scores: the model, its weights, the prunable parameters and the probes. */
public interface PruningContext {

    /** The model being pruned. */
    ModelSpec spec();

    /** A host copy of the current weights. */
    Weights weights();

    /** The parameters to score, in model order. Scores for other parameters are ignored. */
    List<ParameterSpec> prunable();

    /** The masks already in force (earlier rounds); pruned positions stay pruned whatever their score. */
    MaskSet currentMasks();

    /** Calibration batches, when the strategy declared {@link Requirement#CALIBRATION_DATA}; otherwise empty. */
    List<Batch> calibration();

    /** A random stream for this trial and round, derived from the seed. */
    SplittableRandom random();

    /**
     * A capability, native or through the core's generic fallback.
     *
     * @throws dev.bonsai.api.BonsaiException when neither the engine nor the core can provide it
     */
    <C extends Capability> C capability(Class<C> type);
}
