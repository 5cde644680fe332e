package dev.bonsai.engine.dl4j;

import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.testkit.engine.DistillationLossContract;

/** The distillation losses on the CPU. */
class Dl4jDistillationLossContractTest extends DistillationLossContract {
    @Override
    protected ComputeEngine<?> engine() {
        return new Dl4jEngine();
    }

    @Override
    protected EngineRuntime createRuntime() {
        return Dl4jTestRuntime.create();
    }
}
