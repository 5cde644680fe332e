package dev.bonsai.api.engine;

import dev.bonsai.api.Plugin;
import dev.bonsai.api.model.LayerSpec;
import java.util.List;
import java.util.Set;

/**
 * An engine's cheap metadata and its factory. Nothing here may load native libraries except {@link #create}.
 *
 * @param <O> the options record
 */
public interface ComputeEngine<O extends Record> extends Plugin<O> {

    /** Preference when a descriptor names only a device: the available engine with the highest rank wins. */
    int rank();

    /** The devices this engine knows, for example {@code cpu} and {@code cuda}, whether available or not. */
    List<String> devices();

    /** Whether {@code device} can be used here; cheap, without loading natives when it can be avoided. */
    Availability availability(String device);

    /** The layer kinds this engine can run; a model with any other is refused before work starts. */
    Set<Class<? extends LayerSpec>> supportedLayers();

    /**
     * The capabilities its networks provide natively without a generic fallback being needed, as cheap metadata,
     * so that a descriptor whose strategy needs one the engine lacks (and the core cannot build) is refused before
     * any work. Default: none declared.
     */
    default Set<Class<? extends Capability>> nativeCapabilities() {
        return Set.of();
    }

    /** Loads the engine (natives included) with the given options. */
    EngineRuntime create(O options);
}
