package dev.bonsai.engine.dl4j;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model spec compiled once into {@link Op}s over a network's {@link Dl4jParameters}: the forward pass, and the
 * backward pass that fills the gradient slots.
 */
final class Dl4jModel {
    private final List<Op> ops;

    Dl4jModel(ModelSpec spec, Dl4jParameters parameters) {
        this.ops = compile(spec, spec.layers(), spec.inputShape(), parameters);
    }

    /** The output for {@code x}, reporting every named layer's output to {@code tap} (may be null). */
    INDArray forward(INDArray x, boolean training, BiConsumer<String, INDArray> tap) {
        INDArray h = x;
        for (Op op : ops) {
            h = op.forward(h, training, tap);
        }
        return h;
    }

    /**
     * Backpropagates the gradient of the loss with respect to the last forward's output into the gradient slots;
     * returns the gradient with respect to the input.
     */
    INDArray backward(INDArray dOutput) {
        return backward(ops, dOutput, Map.of());
    }

    /**
     * {@link #backward(INDArray)} with extra gradients of the loss with respect to the outputs of named layers
     * (nested ones included): a hint loss on an intermediate layer.
     */
    INDArray backward(INDArray dOutput, Map<String, INDArray> extra) {
        return backward(ops, dOutput, extra);
    }

    /** Backpropagates {@code dy} through {@code ops}, adding {@code extra}'s gradients at named outputs. */
    static INDArray backward(List<Op> ops, INDArray dy, Map<String, INDArray> extra) {
        INDArray g = dy;
        for (int i = ops.size() - 1; i >= 0; i--) {
            Op op = ops.get(i);
            INDArray more = extra.get(op.name());
            if (more != null) {
                g = g.add(more.reshape('c', g.shape()));
            }
            g = op instanceof ResidualOp r ? r.backward(g, extra) : op.backward(g);
        }
        return g;
    }

    private static List<Op> compile(ModelSpec spec, List<LayerSpec> layers, Shape input, Dl4jParameters p) {
        List<Op> out = new ArrayList<>();
        Shape shape = input;
        for (LayerSpec layer : layers) {
            out.add(compile(spec, layer, shape, p));
            shape = layer.outputShape(shape);
        }
        return out;
    }

    private static Op compile(ModelSpec spec, LayerSpec layer, Shape in, Dl4jParameters p) {
        String n = layer.name();
        if (layer instanceof LayerSpec.Dense d) {
            return new DenseOp(n, in.dim(-1), d.units(), p.value(n + ".weight"), d.bias() ? p.value(n + ".bias") : null,
                    p.grad(n + ".weight"), d.bias() ? p.grad(n + ".bias") : null);
        }
        if (layer instanceof LayerSpec.Conv2d c) {
            Shape o = c.outputShape(in);
            return new ConvOp(n, c.filters(), c.kernel(), c.stride(), c.padding(), o.dim(1), o.dim(2),
                    p.value(n + ".weight"), c.bias() ? p.value(n + ".bias") : null, p.grad(n + ".weight"),
                    c.bias() ? p.grad(n + ".bias") : null);
        }
        if (layer instanceof LayerSpec.Pool2d pool) {
            Shape o = pool.outputShape(in);
            return new PoolOp(n, pool.pool(), pool.kernel(), pool.stride(), o.dim(0), o.dim(1), o.dim(2));
        }
        if (layer instanceof LayerSpec.BatchNorm bn) {
            if (in.rank() != 1 && in.rank() != 3) {
                throw new BonsaiException("engine dl4j runs batch norm '" + n + "' of model '" + spec.name()
                        + "' on [features] or [channels, height, width] inputs only, but its input is " + in);
            }
            return new BatchNormOp(n, bn.momentum(), bn.epsilon(), p.value(n + ".weight"), p.value(n + ".bias"),
                    p.grad(n + ".weight"), p.grad(n + ".bias"), p.value(n + ".running_mean"),
                    p.value(n + ".running_var"));
        }
        if (layer instanceof LayerSpec.LayerNorm ln) {
            return new LayerNormOp(n, in.dim(-1), ln.epsilon(), p.value(n + ".weight"), p.value(n + ".bias"),
                    p.grad(n + ".weight"), p.grad(n + ".bias"));
        }
        if (layer instanceof LayerSpec.Dropout d) {
            return new DropoutOp(n, d.rate());
        }
        if (layer instanceof LayerSpec.Flatten) {
            return new FlattenOp(n);
        }
        if (layer instanceof LayerSpec.Activate a) {
            return new ActivationOp(n, a.function());
        }
        if (layer instanceof LayerSpec.Embedding e) {
            return new EmbeddingOp(n, e.vocab(), e.dim(), p.value(n + ".weight"), p.grad(n + ".weight"));
        }
        if (layer instanceof LayerSpec.Residual r) {
            return new ResidualOp(n, compile(spec, r.body(), in, p));
        }
        throw new BonsaiException("engine dl4j cannot run layer '" + n + "' (" + layer.kind() + ") of model '"
                + spec.name() + "'");
    }
}
