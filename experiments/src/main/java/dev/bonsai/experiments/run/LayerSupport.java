package dev.bonsai.experiments.run;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import java.util.Collection;
import java.util.List;

/**
 * Checks, before any engine loads or any training starts, that an engine runs every layer of a model (residual
 * bodies included), and says which engines do when it does not.
 */
final class LayerSupport {
    private LayerSupport() {
    }

    /**
     * Refuses a model with a layer {@code engine} does not list in {@link ComputeEngine#supportedLayers()}.
     *
     * @param all every engine known here, to name those that run the layer
     * @throws BonsaiException naming the layer, its kind, the model, the engine and the engines that run it
     */
    static void check(ComputeEngine<?> engine, ModelSpec spec, Collection<? extends ComputeEngine<?>> all) {
        check(engine, spec, spec.layers(), all);
    }

    private static void check(ComputeEngine<?> engine, ModelSpec spec, List<LayerSpec> layers,
            Collection<? extends ComputeEngine<?>> all) {
        for (LayerSpec layer : layers) {
            if (!engine.supportedLayers().contains(layer.getClass())) {
                List<String> others = all.stream().filter(e -> e.supportedLayers().contains(layer.getClass()))
                        .map(ComputeEngine::id).sorted().toList();
                throw new BonsaiException("engine '" + engine.id() + "' cannot run layer '" + layer.name() + "' ("
                        + layer.kind() + ") of model '" + spec.name() + "'; "
                        + (others.isEmpty() ? "no engine here runs " + layer.kind() + " layers"
                                : "engines that run it: " + String.join(", ", others)));
            }
            if (layer instanceof LayerSpec.Residual r) {
                check(engine, spec, r.body(), all);
            }
        }
    }
}
