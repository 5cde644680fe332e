package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.engine.IncrementalDecoding;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Tensor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link IncrementalDecoding.Decoder} on DJL / PyTorch: the network's compiled ops run on the new positions only,
 * in evaluation mode; each causal self-attention op (on its own or in a transformer block, at any depth) appends the
 * new positions' keys and values {@code [streams·heads, positions, headWidth]} to its cache and attends from the
 * new queries to every cached position (a causal mask among the new ones when several come at once); grouped-query
 * attention ops (on their own or in a decoder block) do the same with caches {@code [streams, kvHeads, positions,
 * headDim]} and keys rotated to their positions; positional embeddings add the rows of the new positions.
 * Per-position ops (embeddings, dense, layer and RMS norms, activations, feed-forward blocks, tied outputs, dropout)
 * run as in the full forward pass, so the logits equal its logits up to float rounding.
 *
 * <p>The caches live in a manager of their own until {@link #close}; the temporaries of each call are released when
 * it returns. Not thread-safe, like the network.
 */
final class DjlDecoder implements IncrementalDecoding.Decoder {
    private final DjlNetwork network;
    private final Forward forward;
    private final Nd.Scope scope;
    private final PtNDManager manager;
    private final Device device;
    private final int streams;
    private final int capacity;
    private final int vocab;
    private final int tokenVocab;
    private final Map<Op, PtNDArray[]> caches = new IdentityHashMap<>();
    private int position;
    private boolean closed;

    DjlDecoder(DjlNetwork network, Forward forward, Nd.Scope scope, PtNDManager parent, Device device, int streams) {
        if (streams <= 0) {
            throw new IllegalArgumentException("a decoder needs at least one stream, got " + streams);
        }
        this.network = network;
        this.forward = forward;
        this.scope = scope;
        this.manager = parent.newSubManager(device);
        this.device = device;
        this.streams = streams;
        ModelSpec spec = network.spec();
        this.capacity = spec.inputShape().dim(0);
        this.vocab = spec.outputShape().dim(1);
        this.tokenVocab = spec.layers().get(0) instanceof dev.bonsai.api.model.LayerSpec.Embedding e ? e.vocab()
                : Integer.MAX_VALUE;
    }

    /**
     * Whether the ops can be decoded incrementally: only per-position ops, causal attention (fused or grouped),
     * positional embeddings, transformer and decoder blocks and residual connections of them.
     */
    static boolean supports(List<Op> ops) {
        for (Op op : ops) {
            boolean ok = op instanceof Op.Embedding || op instanceof Op.PositionalEmbedding || op instanceof Op.Dense
                    || op instanceof Op.LayerNorm || op instanceof Op.Activate || op instanceof Op.Dropout
                    || op instanceof Op.CausalSelfAttention || op instanceof Op.TransformerBlock
                    || op instanceof Op.RmsNorm || op instanceof Op.FeedForward || op instanceof Op.TiedOutput
                    || op instanceof Op.Attention || op instanceof Op.DecoderBlock
                    || (op instanceof Op.Residual r && supports(List.of(r.body())));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int streams() {
        return streams;
    }

    @Override
    public int position() {
        return position;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public Tensor append(int[] tokens) {
        checkOpen();
        if (tokens.length == 0 || tokens.length % streams != 0) {
            throw new IllegalArgumentException("append needs the same number (≥ 1) of tokens for each of the "
                    + streams + " streams, got " + tokens.length + " tokens");
        }
        int k = tokens.length / streams;
        if (position + k > capacity) {
            throw new IllegalArgumentException("appending " + k + " token(s) at position " + position
                    + " goes past the model's " + capacity + " positions; reset the decoder and re-prime it");
        }
        for (int id : tokens) {
            if (id < 0 || id >= tokenVocab) {
                throw new IllegalArgumentException("token id " + id + " is outside the model's vocabulary of "
                        + tokenVocab);
            }
        }
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            float[] ids = new float[tokens.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = tokens[i];
            }
            PtNDArray x = scope.add(Nd.upload(manager, ids, new long[] {streams, k}, device));
            PtNDArray mask = k == 1 ? null : mask(k);
            PtNDArray y = run(forward.ops(), x, k, mask);
            PtNDArray last = scope.add(JniUtils.slice(y, 1, k - 1, k, 1));
            float[] out = Nd.download(last);
            position += k;
            return new Tensor(dev.bonsai.api.model.Shape.of(streams, vocab), out);
        } finally {
            scope.close();
            JniUtils.setGradMode(gradMode);
        }
    }

    @Override
    public void reset() {
        checkOpen();
        caches.values().forEach(kv -> {
            kv[0].close();
            kv[1].close();
        });
        caches.clear();
        position = 0;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        reset();
        closed = true;
        manager.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the decoder is closed");
        }
    }

    // ----------------------------------------------------------------------------------------------------- steps

    private PtNDArray run(List<Op> ops, PtNDArray x, int k, PtNDArray mask) {
        PtNDArray h = x;
        for (Op op : ops) {
            h = step(op, h, k, mask);
        }
        return h;
    }

    /** One op on the new positions {@code x [streams, k, ...]}. */
    private PtNDArray step(Op op, PtNDArray x, int k, PtNDArray mask) {
        if (op instanceof Op.PositionalEmbedding p) {
            PtNDArray rows = scope.add(JniUtils.slice(forward.param(p.weight()), 0, position, position + k, 1));
            return scope.add(JniUtils.add(x, rows));
        }
        if (op instanceof Op.CausalSelfAttention a) {
            return attend(a, x, k, mask);
        }
        if (op instanceof Op.TransformerBlock t) {
            PtNDArray a = step(t.attn(), step(t.ln1(), x, k, mask), k, mask);
            PtNDArray h = scope.add(JniUtils.add(x, a));
            PtNDArray hidden = scope.add(JniUtils.gelu(step(t.fc(), step(t.ln2(), h, k, mask), k, mask)));
            return scope.add(JniUtils.add(h, step(t.proj(), hidden, k, mask)));
        }
        if (op instanceof Op.Attention a) {
            return attend(a, x, k);
        }
        if (op instanceof Op.DecoderBlock b) {
            PtNDArray h = scope.add(JniUtils.add(x, step(b.attn(), step(b.attnNorm(), x, k, mask), k, mask)));
            return scope.add(JniUtils.add(h, step(b.mlp(), step(b.mlpNorm(), h, k, mask), k, mask)));
        }
        if (op instanceof Op.Residual r) {
            return scope.add(JniUtils.add(x, run(List.of(r.body()), x, k, mask)));
        }
        return op.apply(forward, x); // per position (forward is in evaluation mode outside its own passes)
    }

    /** Causal self-attention of the new positions over the cached and the new ones, as {@link Op.CausalSelfAttention}. */
    private PtNDArray attend(Op.CausalSelfAttention a, PtNDArray x, int k, PtNDArray mask) {
        long heads = a.heads();
        long headWidth = a.width() / heads;
        PtNDArray qkv = scope.add(JniUtils.linear(x, forward.param(a.qkvWeight()), forward.param(a.qkvBias())));
        PtNDArray split = scope.add(JniUtils.reshape(qkv, new long[] {streams, k, 3, heads, headWidth}));
        PtNDArray perHead = scope.add(JniUtils.permute(split, new long[] {2, 0, 3, 1, 4}));
        long[] flat = {streams * heads, k, headWidth};
        PtNDArray q = scope.add(JniUtils.reshape(scope.add(JniUtils.slice(perHead, 0, 0, 1, 1)), flat));
        PtNDArray newK = scope.add(JniUtils.reshape(scope.add(JniUtils.slice(perHead, 0, 1, 2, 1)), flat));
        PtNDArray newV = scope.add(JniUtils.reshape(scope.add(JniUtils.slice(perHead, 0, 2, 3, 1)), flat));
        PtNDArray[] kv = caches.get(a);
        PtNDArray keys;
        PtNDArray values;
        if (kv == null) {
            keys = own(JniUtils.cat(new PtNDArray[] {newK}, 1));
            values = own(JniUtils.cat(new PtNDArray[] {newV}, 1));
        } else {
            keys = own(JniUtils.cat(new PtNDArray[] {kv[0], newK}, 1));
            values = own(JniUtils.cat(new PtNDArray[] {kv[1], newV}, 1));
            kv[0].close();
            kv[1].close();
        }
        caches.put(a, new PtNDArray[] {keys, values});
        PtNDArray scores = scope.add(JniUtils.bmm(scope.add(JniUtils.mul(q, a.scale())),
                scope.add(JniUtils.transpose(keys, 1, 2))));
        if (mask != null) {
            scores = scope.add(JniUtils.add(scores, mask));
        }
        PtNDArray attention = scope.add(JniUtils.softmax(scores, -1, DataType.FLOAT32));
        PtNDArray mixed = scope.add(JniUtils.bmm(attention, values));
        PtNDArray heads4 = scope.add(JniUtils.reshape(mixed, new long[] {streams, heads, k, headWidth}));
        PtNDArray merged = scope.add(JniUtils.reshape(scope.add(JniUtils.permute(heads4, new long[] {0, 2, 1, 3})),
                new long[] {streams, k, a.width()}));
        return scope.add(JniUtils.linear(merged, forward.param(a.projWeight()), forward.param(a.projBias())));
    }

    /**
     * Grouped-query attention of the new positions over the cached and the new ones, as {@link Op.Attention}: the
     * new keys and values (rotated to their positions) are appended to the cache {@code [streams, kvHeads,
     * positions, headDim]}; with several new positions, a causal mask among them.
     */
    private PtNDArray attend(Op.Attention a, PtNDArray x, int k) {
        GroupedAttention.Projected p = GroupedAttention.project(forward, a, x, position);
        PtNDArray[] kv = caches.get(a);
        PtNDArray keys;
        PtNDArray values;
        if (kv == null) {
            keys = own(JniUtils.cat(new PtNDArray[] {p.keys()}, 2));
            values = own(JniUtils.cat(new PtNDArray[] {p.values()}, 2));
        } else {
            keys = own(JniUtils.cat(new PtNDArray[] {kv[0], p.keys()}, 2));
            values = own(JniUtils.cat(new PtNDArray[] {kv[1], p.values()}, 2));
            kv[0].close();
            kv[1].close();
        }
        caches.put(a, new PtNDArray[] {keys, values});
        PtNDArray mask = k == 1 ? null : scope.add(GroupedAttention.causalMask(manager, device, k, position));
        return GroupedAttention.mix(forward, a, p.queries(), keys, values, mask, false);
    }

    /** A cache array: attached to the decoder's manager, not to the call's scope. */
    private PtNDArray own(PtNDArray array) {
        array.attach(manager);
        return array;
    }

    /** {@code [k, position + k]}: new query i (at position + i) sees keys up to position + i; -∞ beyond. */
    private PtNDArray mask(int k) {
        int total = position + k;
        float[] m = new float[k * total];
        for (int i = 0; i < k; i++) {
            for (int j = position + i + 1; j < total; j++) {
                m[i * total + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return scope.add(Nd.upload(manager, m, new long[] {k, total}, device));
    }
}
