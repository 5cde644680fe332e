package dev.bonsai.engine.dl4j;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.ActivationProbe;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link ActivationProbe}: the outputs of named layers (nested ones included), from one evaluation-mode forward
 * pass with a tap on every layer. The core's generic layer-input statistics are built on it.
 */
final class Dl4jActivations implements ActivationProbe {
    private final Dl4jNetwork network;

    Dl4jActivations(Dl4jNetwork network) {
        this.network = network;
    }

    @Override
    public Map<String, Tensor> activations(Batch batch, Set<String> layerNames) {
        Objects.requireNonNull(batch, "batch");
        Set<String> known = new TreeSet<>();
        collect(network.spec().layers(), known);
        for (String name : layerNames) {
            if (!known.contains(name)) {
                throw new BonsaiException("model '" + network.spec().name() + "' has no layer output named '" + name
                        + "'; its layers are " + known);
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        network.forwardHost(batch, false, (name, value) -> {
            if (layerNames.contains(name)) {
                long[] shape = value.shape();
                int[] dims = new int[shape.length];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = Math.toIntExact(shape[i]);
                }
                out.put(name, new Tensor(Shape.of(dims), Dl4jParameters.hostFloats(value)));
            }
        });
        return out;
    }

    private static void collect(List<LayerSpec> layers, Set<String> names) {
        for (LayerSpec layer : layers) {
            names.add(layer.name());
            if (layer instanceof LayerSpec.Residual r) {
                collect(r.body(), names);
            }
        }
    }
}
