package dev.bonsai.engine.dl4j;

import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.testkit.engine.LayerContract;

/** The layer contract on the CPU: every layer kind dl4j supports (the others are skipped by the contract). */
class Dl4jLayerContractTest extends LayerContract {
    @Override
    protected ComputeEngine<?> engine() {
        return new Dl4jEngine();
    }

    @Override
    protected EngineRuntime createRuntime() {
        return Dl4jTestRuntime.create();
    }
}
