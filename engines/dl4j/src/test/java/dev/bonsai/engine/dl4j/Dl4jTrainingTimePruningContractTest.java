package dev.bonsai.engine.dl4j;

import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.testkit.engine.TrainingTimePruningContract;

/** Pruning during training and movement scores on the CPU. */
class Dl4jTrainingTimePruningContractTest extends TrainingTimePruningContract {
    @Override
    protected ComputeEngine<?> engine() {
        return new Dl4jEngine();
    }

    @Override
    protected EngineRuntime createRuntime() {
        return Dl4jTestRuntime.create();
    }
}
