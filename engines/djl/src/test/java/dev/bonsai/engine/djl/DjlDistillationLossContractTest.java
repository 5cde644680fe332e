package dev.bonsai.engine.djl;

import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.testkit.engine.DistillationLossContract;

/** The distillation losses on the CPU. */
class DjlDistillationLossContractTest extends DistillationLossContract {
    @Override
    protected ComputeEngine<?> engine() {
        return new DjlEngine();
    }
}
