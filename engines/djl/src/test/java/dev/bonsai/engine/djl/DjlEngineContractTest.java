package dev.bonsai.engine.djl;

import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.testkit.engine.EngineContract;

/** The engine contract on the CPU. */
class DjlEngineContractTest extends EngineContract {
    @Override
    protected ComputeEngine<?> engine() {
        return new DjlEngine();
    }
}
