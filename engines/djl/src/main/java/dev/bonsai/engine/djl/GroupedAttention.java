package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The computation of {@link Op.Attention}, shared by the full forward pass and the key/value-cached decoder.
 *
 * <p>The heads are batched, never looped over: one {@code linear} per projection, the rotation of all heads at once,
 * then PyTorch's fused scaled-dot-product attention ({@link ScriptedAttention}) over {@code [B, heads, positions,
 * headDim]}. Query head {@code h} reads key/value head {@code h / G} (G the group size): the key/value heads are
 * repeated G times along the head axis, a copy of {@code positions·headDim} values per head, small next to the
 * scores the fused kernel never materialises.
 */
final class GroupedAttention {

    private GroupedAttention() {
    }

    /** The new positions' queries {@code [B, heads, k, hd]} and keys and values {@code [B, kvHeads, k, hd]}, rotated. */
    record Projected(PtNDArray queries, PtNDArray keys, PtNDArray values) {
    }

    /** Projects {@code x [B, k, D]}, the positions {@code offset … offset + k − 1}. */
    static Projected project(Forward f, Op.Attention a, PtNDArray x, int offset) {
        long b = x.getShape().get(0);
        long k = x.getShape().get(1);
        long hd = a.headDim();
        long kv = a.kvHeads();
        PtNDArray q = f.keep(JniUtils.linear(x, f.param(a.qWeight()), a.qBias() < 0 ? null : f.param(a.qBias())));
        PtNDArray keys = f.keep(JniUtils.linear(x, f.param(a.kWeight()), a.kBias() < 0 ? null : f.param(a.kBias())));
        PtNDArray values = f.keep(JniUtils.linear(x, f.param(a.vWeight()),
                a.vBias() < 0 ? null : f.param(a.vBias())));
        q = f.keep(JniUtils.reshape(q, new long[] {b, k, a.heads(), hd}));
        keys = f.keep(JniUtils.reshape(keys, new long[] {b, k, kv, hd}));
        if (a.rotary() != null) {
            q = a.rotary().apply(f, q, offset);
            keys = a.rotary().apply(f, keys, offset);
        }
        long[] headsFirst = {0, 2, 1, 3};
        return new Projected(f.keep(JniUtils.permute(q, headsFirst)), f.keep(JniUtils.permute(keys, headsFirst)),
                f.keep(JniUtils.permute(f.keep(JniUtils.reshape(values, new long[] {b, k, kv, hd})), headsFirst)));
    }

    /**
     * Attention of the {@code queries} of {@code k} new positions over {@code keys} and {@code values}
     * ({@code [B, KV, P, hd]}, P ≥ k positions, the new ones last), then the output projection: {@code [B, k, D]}.
     * With {@code causal}, P = k and query i sees keys up to i; otherwise {@code mask} ({@code [k, P]}, 0 or −∞)
     * says what each query sees, or null for every key.
     */
    static PtNDArray mix(Forward f, Op.Attention a, PtNDArray queries, PtNDArray keys, PtNDArray values,
            PtNDArray mask, boolean causal) {
        long b = queries.getShape().get(0);
        long k = queries.getShape().get(2);
        long hd = a.headDim();
        PtNDArray mixed = f.keep(ScriptedAttention.attend(f.manager(), queries, perQueryHead(f, a, keys),
                perQueryHead(f, a, values), mask, causal));
        PtNDArray merged = f.keep(JniUtils.reshape(f.keep(JniUtils.permute(mixed, new long[] {0, 2, 1, 3})),
                new long[] {b, k, a.heads() * hd}));
        f.report(a.name() + ".heads", merged);
        return f.keep(JniUtils.linear(merged, f.param(a.oWeight()), a.oBias() < 0 ? null : f.param(a.oBias())));
    }

    /** Key/value heads {@code [B, KV, P, hd]} repeated for the queries that read them: {@code [B, heads, P, hd]}. */
    private static PtNDArray perQueryHead(Forward f, Op.Attention a, PtNDArray x) {
        long group = a.heads() / a.kvHeads();
        if (group == 1) {
            return x;
        }
        long[] s = x.getShape().getShape();
        PtNDArray single = f.keep(JniUtils.reshape(x, new long[] {s[0], s[1], 1, s[2], s[3]}));
        PtNDArray repeated = f.keep(JniUtils.broadcast(single, new ai.djl.ndarray.types.Shape(s[0], s[1], group,
                s[2], s[3])));
        return f.keep(JniUtils.reshape(repeated, new long[] {s[0], s[1] * group, s[2], s[3]}));
    }

    /** {@code [k, offset + k]}: row i (new query i, at position offset + i) is 0 up to column offset + i, −∞ after. */
    static PtNDArray causalMask(PtNDManager manager, Device device, int k, int offset) {
        int total = offset + k;
        float[] m = new float[k * total];
        for (int i = 0; i < k; i++) {
            for (int j = offset + i + 1; j < total; j++) {
                m[i * total + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return Nd.upload(manager, m, new long[] {k, total}, device);
    }
}
