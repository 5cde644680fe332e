package dev.bonsai.api.engine;

import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Weights;

/** A loaded engine: builds networks on its devices. Closing it releases everything it holds. */
public interface EngineRuntime extends AutoCloseable {

    /** The engine's id. */
    String engineId();

    /** The engine and native library versions, for provenance, for example {@code DJL 0.36.0, PyTorch 2.7.1}. */
    String versions();

    /**
     * A network for {@code spec} on {@code device}, holding a copy of {@code initial}.
     *
     * @throws dev.bonsai.api.BonsaiException when the device is unavailable or a layer is unsupported
     */
    Network build(ModelSpec spec, Weights initial, String device);

    @Override
    void close();
}
