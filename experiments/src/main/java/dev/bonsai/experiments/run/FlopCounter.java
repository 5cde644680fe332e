package dev.bonsai.experiments.run;

import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import java.util.function.ToDoubleFunction;

/**
 * Floating-point operations of one sample's forward pass: two per multiply-accumulate of the dense layers,
 * convolutions and attention products (normalisation, pooling and activations are left out: they are a small
 * share and no pruning removes them). A weight's multiply-accumulates are scaled by the fraction of it that is
 * non-zero, which gives the FLOPs a sparse kernel would need; with every fraction 1 it is the dense count.
 */
public final class FlopCounter {
    private FlopCounter() {
    }

    /** The forward FLOPs of {@code spec} with {@code density} giving each weight parameter's non-zero fraction. */
    public static double forward(ModelSpec spec, ToDoubleFunction<String> density) {
        double total = 0;
        Shape shape = spec.inputShape();
        for (LayerSpec layer : spec.layers()) {
            total += flops(layer, shape, density);
            shape = layer.outputShape(shape);
        }
        return total;
    }

    private static double flops(LayerSpec layer, Shape input, ToDoubleFunction<String> density) {
        if (layer instanceof LayerSpec.Dense d) {
            double positions = (double) input.size() / input.dim(-1);
            return 2 * positions * input.dim(-1) * d.units() * density.applyAsDouble(d.name() + ".weight");
        }
        if (layer instanceof LayerSpec.Conv2d c) {
            Shape out = c.outputShape(input);
            return 2.0 * input.dim(0) * c.kernel() * c.kernel() * c.filters() * out.dim(1) * out.dim(2)
                    * density.applyAsDouble(c.name() + ".weight");
        }
        if (layer instanceof LayerSpec.CausalSelfAttention a) {
            double t = input.dim(0);
            double d = input.dim(1);
            double inner = a.innerWidth(input.dim(1));
            return 2 * t * d * 3 * inner * density.applyAsDouble(a.name() + ".qkv.weight") + 2 * 2 * t * t * inner
                    + 2 * t * inner * d * density.applyAsDouble(a.name() + ".proj.weight");
        }
        if (layer instanceof LayerSpec.TransformerBlock b) {
            double total = 0;
            Shape shape = input;
            for (LayerSpec sub : b.sublayers(input.dim(1))) {
                total += flops(sub, shape, density);
                shape = sub.outputShape(shape);
            }
            return total;
        }
        if (layer instanceof LayerSpec.Residual r) {
            double total = 0;
            Shape shape = input;
            for (LayerSpec sub : r.body()) {
                total += flops(sub, shape, density);
                shape = sub.outputShape(shape);
            }
            return total;
        }
        return 0;
    }
}
