package dev.bonsai.experiments.run;

import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import java.util.function.ToDoubleFunction;

/**
 * Floating-point operations of one sample's forward pass: two per multiply-accumulate of the dense layers,
 * convolutions, attention projections and products (query-key scores and the mix of values, counted over all
 * {@code T²} position pairs), feed-forward projections and outputs tied to an embedding (normalisation, rotary
 * positions, pooling and activations are left out: they are a small share and no pruning removes them). A weight's multiply-accumulates are scaled by the fraction of it that is
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
        if (layer instanceof LayerSpec.Attention a) {
            double t = input.dim(0);
            double d = input.dim(1);
            double q = (double) a.heads() * a.headDim();
            double kv = (double) a.kvHeads() * a.headDim();
            String n = a.name();
            return 2 * t * d * (q * density.applyAsDouble(n + ".q.weight") + kv * density.applyAsDouble(n + ".k.weight")
                    + kv * density.applyAsDouble(n + ".v.weight")) + 2 * 2 * t * t * q
                    + 2 * t * q * d * density.applyAsDouble(n + ".o.weight");
        }
        if (layer instanceof LayerSpec.FeedForward m) {
            double positions = (double) input.size() / input.dim(-1);
            double perProjection = 2 * positions * input.dim(-1) * m.hidden();
            String n = m.name();
            double gate = m.gated() ? density.applyAsDouble(n + ".gate.weight") : 0;
            return perProjection * (gate + density.applyAsDouble(n + ".up.weight")
                    + density.applyAsDouble(n + ".down.weight"));
        }
        if (layer instanceof LayerSpec.DecoderBlock b) {
            double total = 0;
            for (LayerSpec sub : b.sublayers()) {
                total += flops(sub, input, density);
            }
            return total;
        }
        if (layer instanceof LayerSpec.TiedOutput o) {
            double positions = (double) input.size() / input.dim(-1);
            return 2 * positions * input.dim(-1) * o.vocab() * density.applyAsDouble(o.embedding() + ".weight");
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
