package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The forward pass of a model spec on DJL / PyTorch: the spec's layers compiled once into {@link Op}s bound to the
 * network's {@link Parameters}, then run with fused native operators.
 *
 * <p>Every intermediate array goes into the network's step {@link Nd.Scope} and is released when the caller closes
 * it. A {@link #forward(PtNDArray, boolean, BiConsumer) tap} sees each named layer's output (the sub-layers of
 * residual connections, transformer and decoder blocks included, under their own names) as it is made, and the
 * inputs of the output projections inside grouped-query attention and feed-forward layers (see {@link #report});
 * the array is valid until the scope closes, and is part of the autograd graph when grad mode is on.
 *
 * <p>Not thread-safe, like the network that owns it.
 */
final class Forward {
    private final Parameters parameters;
    private final PtNDManager manager;
    private final Device device;
    private final Nd.Scope scope;
    private final Map<Integer, PtNDArray> causalMasks = new HashMap<>();
    private final Map<Double, PtNDArray> constants = new HashMap<>();
    private final Map<String, Rotary> rotaries = new HashMap<>();
    private final Op[] ops;
    private final boolean stochastic;
    private boolean training;
    private BiConsumer<String, PtNDArray> tap;
    private Rewrite rewrite;

    /** Replaces an op's output in the pass (for probes in this package). */
    interface Rewrite {
        /** What the pass continues with after {@code op} made {@code output} from {@code input}. */
        PtNDArray output(Op op, PtNDArray input, PtNDArray output);
    }

    /**
     * Compiles {@code spec}.
     *
     * @param manager holds the constants (attention scales and masks) for the network's lifetime
     * @throws BonsaiException for a layer this engine cannot run
     */
    Forward(ModelSpec spec, Parameters parameters, PtNDManager manager, Device device, Nd.Scope scope) {
        this.parameters = parameters;
        this.manager = manager;
        this.device = device;
        this.scope = scope;
        this.ops = compile(spec.layers(), spec.inputShape()).toArray(new Op[0]);
        boolean any = false;
        for (Op op : ops) {
            any |= op.stochastic();
        }
        this.stochastic = any;
    }

    /** The output of the model for {@code input} ({@code [batch, ...input]}). */
    PtNDArray forward(PtNDArray input, boolean isTraining) {
        return forward(input, isTraining, null);
    }

    /**
     * The output of the model for {@code input}, reporting every named layer's output to {@code layerTap} (null for
     * none) as it is made.
     *
     * @param input      {@code [batch, ...input]}
     * @param isTraining training mode: dropout active, batch norm on batch statistics (updating the running ones)
     * @param layerTap   receives (layer name, output); the array lives until the step scope closes
     */
    PtNDArray forward(PtNDArray input, boolean isTraining, BiConsumer<String, PtNDArray> layerTap) {
        this.training = isTraining;
        this.tap = layerTap;
        try {
            return run(ops, input);
        } finally {
            this.tap = null;
            this.training = false;
        }
    }

    /**
     * The output of the model in evaluation mode for {@code input}, each top-level op's output replaced by what
     * {@code rewriter} makes of it (temporaries it makes belong to the caller).
     */
    PtNDArray forwardRewritten(PtNDArray input, Rewrite rewriter) {
        this.rewrite = rewriter;
        try {
            return forward(input, false, null);
        } finally {
            this.rewrite = null;
        }
    }

    /** Whether any op draws random numbers in training (dropout, attention dropout). */
    boolean stochastic() {
        return stochastic;
    }

    /** The compiled top-level ops (for tests and probes). */
    List<Op> ops() {
        return List.of(ops);
    }

    // ------------------------------------------------------------------------------------------ used by the ops

    /** Runs {@code body} in order. */
    PtNDArray run(Op[] body, PtNDArray x) {
        PtNDArray y = x;
        for (Op op : body) {
            PtNDArray in = y;
            y = apply(op, in);
            if (rewrite != null && body == ops) {
                y = rewrite.output(op, in, y);
            }
        }
        return y;
    }

    /** Runs one op and reports its output to the tap. */
    PtNDArray apply(Op op, PtNDArray x) {
        PtNDArray y = op.apply(this, x);
        if (tap != null) {
            tap.accept(op.name(), y);
        }
        return y;
    }

    /**
     * Reports {@code array} to the tap under {@code name}, for values inside a layer that are no layer's output: the
     * input of an attention's output projection ({@code <attention>.heads}, the heads' outputs concatenated) and of
     * a feed-forward block's down projection ({@code <mlp>.hidden}).
     */
    void report(String name, PtNDArray array) {
        if (tap != null) {
            tap.accept(name, array);
        }
    }

    /** Registers a temporary of this step and returns it. */
    PtNDArray keep(PtNDArray array) {
        return scope.add(array);
    }

    /** The current value of parameter {@code index}. */
    PtNDArray param(int index) {
        return parameters.value(index);
    }

    /**
     * The float32 scalar {@code value} on the device, held for the network's lifetime. Ops that use one have it
     * made when they are compiled, so running a pass allocates none.
     */
    PtNDArray constant(double value) {
        return constants.computeIfAbsent(value, v -> Nd.scalar(manager, v, DataType.FLOAT32, device));
    }

    /** The manager of the network's arrays (for results of native calls that need one). */
    PtNDManager manager() {
        return manager;
    }

    /** Whether this pass runs in training mode. */
    boolean training() {
        return training;
    }

    // ------------------------------------------------------------------------------------------------ compiling

    private List<Op> compile(List<LayerSpec> layers, Shape input) {
        List<Op> out = new ArrayList<>();
        Shape shape = input;
        for (LayerSpec layer : layers) {
            Op op = compile(layer, shape);
            if (op != null) {
                out.add(op);
            }
            shape = layer.outputShape(shape);
        }
        return out;
    }

    /** The op for {@code layer} on inputs of {@code shape}, or null when the layer is the identity. */
    private Op compile(LayerSpec layer, Shape shape) {
        String n = layer.name();
        if (layer instanceof LayerSpec.Dense d) {
            return new Op.Dense(n, index(n + ".weight"), d.bias() ? index(n + ".bias") : -1);
        } else if (layer instanceof LayerSpec.Conv2d c) {
            return new Op.Conv2d(n, index(n + ".weight"), c.bias() ? index(n + ".bias") : -1, c.stride(), c.padding());
        } else if (layer instanceof LayerSpec.Pool2d p) {
            return new Op.Pool2d(n, p.pool(), p.kernel(), p.stride());
        } else if (layer instanceof LayerSpec.BatchNorm b) {
            return new Op.BatchNorm(n, index(n + ".weight"), index(n + ".bias"), index(n + ".running_mean"),
                    index(n + ".running_var"), b.momentum(), b.epsilon());
        } else if (layer instanceof LayerSpec.LayerNorm l) {
            return new Op.LayerNorm(n, index(n + ".weight"), index(n + ".bias"), shape.dim(-1), l.epsilon());
        } else if (layer instanceof LayerSpec.Dropout d) {
            return new Op.Dropout(n, d.rate());
        } else if (layer instanceof LayerSpec.Flatten) {
            return new Op.Flatten(n);
        } else if (layer instanceof LayerSpec.Activate a) {
            constants(a.function());
            return new Op.Activate(n, a.function());
        } else if (layer instanceof LayerSpec.Embedding) {
            return new Op.Embedding(n, index(n + ".weight"));
        } else if (layer instanceof LayerSpec.PositionalEmbedding p) {
            return new Op.PositionalEmbedding(n, index(n + ".weight"), shape.dim(0), p.context());
        } else if (layer instanceof LayerSpec.CausalSelfAttention a) {
            int length = shape.dim(0);
            int inner = a.innerWidth(shape.dim(1));
            return new Op.CausalSelfAttention(n, index(n + ".qkv.weight"), index(n + ".qkv.bias"),
                    index(n + ".proj.weight"), index(n + ".proj.bias"), a.heads(), length, inner, a.dropout(),
                    Nd.scalar(manager, 1 / Math.sqrt((double) inner / a.heads()), DataType.FLOAT32, device),
                    causalMask(length));
        } else if (layer instanceof LayerSpec.TransformerBlock t) {
            List<LayerSpec> sub = t.sublayers(shape.dim(1));
            Op[] compiled = new Op[sub.size()];
            Shape s = shape;
            for (int i = 0; i < compiled.length; i++) {
                compiled[i] = compile(sub.get(i), s);
                s = sub.get(i).outputShape(s);
            }
            return new Op.TransformerBlock(n, compiled[0], compiled[1], compiled[2], compiled[3], compiled[4],
                    new Op.Dropout(n + ".dropout", t.dropout()));
        } else if (layer instanceof LayerSpec.Residual r) {
            return new Op.Residual(n, compile(r.body(), shape).toArray(new Op[0]));
        } else if (layer instanceof LayerSpec.RmsNorm r) {
            constant(r.epsilon());
            return new Op.RmsNorm(n, index(n + ".weight"), r.epsilon());
        } else if (layer instanceof LayerSpec.Attention a) {
            return attention(a, shape.dim(0));
        } else if (layer instanceof LayerSpec.FeedForward m) {
            constants(m.activation());
            return new Op.FeedForward(n, m.gated() ? index(n + ".gate.weight") : -1, index(n + ".up.weight"),
                    index(n + ".down.weight"), m.gated() && m.bias() ? index(n + ".gate.bias") : -1,
                    m.bias() ? index(n + ".up.bias") : -1, m.bias() ? index(n + ".down.bias") : -1, m.activation());
        } else if (layer instanceof LayerSpec.DecoderBlock b) {
            List<LayerSpec> sub = b.sublayers();
            return new Op.DecoderBlock(n, compile(sub.get(0), shape), (Op.Attention) compile(sub.get(1), shape),
                    compile(sub.get(2), shape), (Op.FeedForward) compile(sub.get(3), shape));
        } else if (layer instanceof LayerSpec.TiedOutput t) {
            return new Op.TiedOutput(n, index(t.embedding() + ".weight"));
        }
        throw new BonsaiException("engine djl cannot run layer '" + n + "' (" + layer.kind() + ")");
    }

    private Op.Attention attention(LayerSpec.Attention a, int length) {
        String n = a.name();
        Rotary rotary = a.ropeTheta() > 0 ? rotaries.computeIfAbsent(length + "/" + a.headDim() + "/" + a.ropeTheta(),
                key -> new Rotary(manager, device, length, a.headDim(), a.ropeTheta())) : null;
        return new Op.Attention(n, index(n + ".q.weight"), index(n + ".k.weight"), index(n + ".v.weight"),
                a.qkvBias() ? index(n + ".q.bias") : -1, a.qkvBias() ? index(n + ".k.bias") : -1,
                a.qkvBias() ? index(n + ".v.bias") : -1, index(n + ".o.weight"),
                a.outputBias() ? index(n + ".o.bias") : -1, a.heads(), a.kvHeads(), a.headDim(), rotary);
    }

    private void constants(dev.bonsai.api.model.Activation function) {
        for (double c : Op.Activate.constants(function)) {
            constant(c);
        }
    }

    private int index(String parameter) {
        int i = parameters.index(parameter);
        if (i < 0) {
            throw new IllegalStateException("no parameter '" + parameter + "' in the model");
        }
        return i;
    }

    /** {@code [T, T]}: 0 on and below the diagonal, -∞ above it; one per length, held for the network's lifetime. */
    private PtNDArray causalMask(int length) {
        return causalMasks.computeIfAbsent(length, t -> {
            float[] mask = new float[t * t];
            for (int i = 0; i < t; i++) {
                for (int j = i + 1; j < t; j++) {
                    mask[i * t + j] = Float.NEGATIVE_INFINITY;
                }
            }
            return Nd.upload(manager, mask, new long[] {t, t}, device);
        });
    }
}
