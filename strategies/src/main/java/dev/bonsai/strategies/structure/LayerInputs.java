package dev.bonsai.strategies.structure;

import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The input shape of every layer of a model, those in residual branches included. */
final class LayerInputs {

    private LayerInputs() {
    }

    /** Each layer's input shape, by layer name, in model order. */
    static Map<String, Shape> of(ModelSpec spec) {
        Map<String, Shape> out = new LinkedHashMap<>();
        walk(spec.layers(), spec.inputShape(), out);
        return out;
    }

    private static void walk(List<LayerSpec> layers, Shape input, Map<String, Shape> out) {
        Shape shape = input;
        for (LayerSpec layer : layers) {
            out.put(layer.name(), shape);
            if (layer instanceof LayerSpec.Residual r) {
                walk(r.body(), shape, out);
            }
            shape = layer.outputShape(shape);
        }
    }
}
