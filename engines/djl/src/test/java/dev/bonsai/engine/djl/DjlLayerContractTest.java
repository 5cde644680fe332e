package dev.bonsai.engine.djl;

import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.testkit.engine.LayerContract;
import org.junit.jupiter.api.AfterAll;

/** The layer contract on the CPU: every layer kind of the model spec. */
class DjlLayerContractTest extends LayerContract {
    private int previousThreads;

    @Override
    protected ComputeEngine<?> engine() {
        return new DjlEngine();
    }

    /**
     * One intra-op thread while this class runs (new threads take the last count set, so the previous one is
     * restored after it): the contract's tensors are tiny, and on a machine shared with other builds several
     * spinning PyTorch threads per operator made these tests ten times slower.
     */
    @Override
    protected EngineRuntime createRuntime() {
        Natives.load();
        previousThreads = JniUtils.getNumThreads();
        return new DjlEngine().create(new DjlOptions(1));
    }

    @Override
    @AfterAll
    protected void closeRuntime() {
        super.closeRuntime();
        if (previousThreads > 0) {
            JniUtils.setNumThreads(previousThreads);
            previousThreads = 0;
        }
    }
}
