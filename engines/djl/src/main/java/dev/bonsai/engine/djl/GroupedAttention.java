package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The computation of {@link Op.Attention}, shared by the full forward pass and the key/value-cached decoder.
 *
 * <p>The heads are batched, never looped over. Query head {@code h = kv·G + g} (G the group size) reads key/value
 * head {@code kv}; instead of repeating keys and values G times, the G query heads of a group are stacked along the
 * position axis: queries become {@code [B·KV, G·k, hd]} and keys {@code [B·KV, P, hd]}, so one batched matrix
 * product gives every head's scores {@code [B·KV, G·k, P]} and another their mix of the values. The causal mask is
 * the {@code [k, P]} one repeated G times along its rows.
 */
final class GroupedAttention {

    private GroupedAttention() {
    }

    /**
     * The new positions' queries, scaled by {@code 1/√hd} and rotated, stacked per group as {@code [B·KV, G·k, hd]};
     * their keys (rotated) and values, {@code [B, KV, k, hd]}.
     */
    record Projected(PtNDArray queries, PtNDArray keys, PtNDArray values) {
    }

    /** Projects {@code x [B, k, D]}, the positions {@code offset … offset + k − 1}. */
    static Projected project(Forward f, Op.Attention a, PtNDArray x, int offset) {
        long b = x.getShape().get(0);
        long k = x.getShape().get(1);
        long hd = a.headDim();
        long kv = a.kvHeads();
        long group = a.heads() / a.kvHeads();
        PtNDArray q = f.keep(JniUtils.linear(x, f.param(a.qWeight()), a.qBias() < 0 ? null : f.param(a.qBias())));
        PtNDArray keys = f.keep(JniUtils.linear(x, f.param(a.kWeight()), a.kBias() < 0 ? null : f.param(a.kBias())));
        PtNDArray values = f.keep(JniUtils.linear(x, f.param(a.vWeight()),
                a.vBias() < 0 ? null : f.param(a.vBias())));
        q = f.keep(JniUtils.reshape(q, new long[] {b, k, a.heads(), hd}));
        q = f.keep(JniUtils.mul(q, f.constant(1 / Math.sqrt(hd))));
        keys = f.keep(JniUtils.reshape(keys, new long[] {b, k, kv, hd}));
        if (a.rotary() != null) {
            q = a.rotary().apply(f, q, offset);
            keys = a.rotary().apply(f, keys, offset);
        }
        PtNDArray grouped = f.keep(JniUtils.reshape(q, new long[] {b, k, kv, group, hd}));
        PtNDArray stacked = f.keep(JniUtils.reshape(f.keep(JniUtils.permute(grouped, new long[] {0, 2, 3, 1, 4})),
                new long[] {b * kv, group * k, hd}));
        PtNDArray keyHeads = f.keep(JniUtils.permute(keys, new long[] {0, 2, 1, 3}));
        PtNDArray valueHeads = f.keep(JniUtils.permute(f.keep(JniUtils.reshape(values, new long[] {b, k, kv, hd})),
                new long[] {0, 2, 1, 3}));
        return new Projected(stacked, keyHeads, valueHeads);
    }

    /**
     * Attention of the stacked {@code queries} of {@code k} new positions over {@code keys} and {@code values}
     * ({@code [B, KV, P, hd]}, P ≥ k positions, the new ones last), with {@code mask} ({@code [G·k, P]}, or null
     * when every query may see every key), then the output projection: {@code [B, k, D]}.
     */
    static PtNDArray mix(Forward f, Op.Attention a, PtNDArray queries, PtNDArray keys, PtNDArray values,
            PtNDArray mask, long b, long k) {
        long hd = a.headDim();
        long kv = a.kvHeads();
        long group = a.heads() / a.kvHeads();
        long p = keys.getShape().get(2);
        PtNDArray keyRows = f.keep(JniUtils.reshape(keys, new long[] {b * kv, p, hd}));
        PtNDArray valueRows = f.keep(JniUtils.reshape(values, new long[] {b * kv, p, hd}));
        PtNDArray scores = f.keep(JniUtils.bmm(queries, f.keep(JniUtils.transpose(keyRows, 1, 2))));
        if (mask != null) {
            scores = f.keep(JniUtils.add(scores, mask));
        }
        PtNDArray weights = f.keep(JniUtils.softmax(scores, -1, DataType.FLOAT32));
        PtNDArray mixed = f.keep(JniUtils.bmm(weights, valueRows));
        PtNDArray perHead = f.keep(JniUtils.reshape(mixed, new long[] {b, kv, group, k, hd}));
        PtNDArray merged = f.keep(JniUtils.reshape(f.keep(JniUtils.permute(perHead, new long[] {0, 3, 1, 2, 4})),
                new long[] {b, k, a.heads() * hd}));
        f.report(a.name() + ".heads", merged);
        return f.keep(JniUtils.linear(merged, f.param(a.oWeight()), a.oBias() < 0 ? null : f.param(a.oBias())));
    }

    /**
     * {@code [G·k, offset + k]}: row {@code g·k + i} (new query i, at position offset + i, of any head of the group)
     * is 0 up to column offset + i and −∞ after it.
     */
    static PtNDArray causalMask(PtNDManager manager, Device device, int group, int k, int offset) {
        int total = offset + k;
        float[] m = new float[group * k * total];
        for (int g = 0; g < group; g++) {
            for (int i = 0; i < k; i++) {
                int row = (g * k + i) * total;
                for (int j = offset + i + 1; j < total; j++) {
                    m[row + j] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        return Nd.upload(manager, m, new long[] {(long) group * k, total}, device);
    }
}
