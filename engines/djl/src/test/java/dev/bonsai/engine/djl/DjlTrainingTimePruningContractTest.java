package dev.bonsai.engine.djl;

import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.testkit.engine.TrainingTimePruningContract;

/** Pruning during training and movement scores on the CPU. */
class DjlTrainingTimePruningContractTest extends TrainingTimePruningContract {
    @Override
    protected ComputeEngine<?> engine() {
        return new DjlEngine();
    }
}
