package dev.bonsai.models.pretrained.llama2c;

import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.RotaryRows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order of a llama2.c checkpoint's float32 arrays and their Bonsai parameter names. llama2.c stores each kind of
 * matrix for all layers together ({@code wq} of layers 0…L−1, then {@code wk} …), in PyTorch's {@code [out, in]}
 * orientation: {@code w1} is the gate, {@code w2} the down and {@code w3} the up projection. Queries and keys are in
 * the interleaved rotary convention in the file and half-split in Bonsai ({@link RotaryRows}).
 */
final class Llama2cWeights {
    /** llama2.c fixes RMSNorm's ε; the file does not store it. */
    static final double NORM_EPSILON = 1e-5;
    /** llama2.c fixes the rotary base; the file does not store it. */
    static final double ROPE_THETA = 10000.0;

    private Llama2cWeights() {
    }

    /** The configuration a header describes. */
    static DecoderConfig config(Llama2cHeader h) {
        return new DecoderConfig("llama", h.vocab(), h.dim(), h.layers(), h.heads(), h.kvHeads(), h.headDim(),
                h.hidden(), h.seqLen(), NORM_EPSILON, true, ROPE_THETA, true, Activation.SILU, false, false, false,
                h.sharedClassifier(), false);
    }

    /**
     * One array of the file: a Bonsai parameter, or (legacy only) a rotary table that has no parameter.
     *
     * @param name   the Bonsai parameter name, or null for a rotary table
     * @param shape  its shape
     * @param rotary whether its rows are in the interleaved rotary order in the file (queries and keys)
     */
    record Entry(String name, Shape shape, boolean rotary) {
    }

    /** The arrays of a file with this header, in file order. */
    static List<Entry> layout(Llama2cHeader h) {
        int d = h.dim();
        int kv = h.kvHeads() * h.headDim();
        int n = h.layers();
        List<Entry> embed = List.of(new Entry("embed.weight", Shape.of(h.vocab(), d), false));
        List<Entry> attnNorm = perLayer(n, "attn_norm.weight", Shape.of(d), false);
        List<Entry> mlpNorm = perLayer(n, "mlp_norm.weight", Shape.of(d), false);
        List<Entry> matrices = new ArrayList<>();
        matrices.addAll(perLayer(n, "attn.q.weight", Shape.of(d, d), true));
        matrices.addAll(perLayer(n, "attn.k.weight", Shape.of(kv, d), true));
        matrices.addAll(perLayer(n, "attn.v.weight", Shape.of(kv, d), false));
        matrices.addAll(perLayer(n, "attn.o.weight", Shape.of(d, d), false));
        List<Entry> ffn = new ArrayList<>();
        ffn.addAll(perLayer(n, "mlp.gate.weight", Shape.of(h.hidden(), d), false));
        ffn.addAll(perLayer(n, "mlp.down.weight", Shape.of(d, h.hidden()), false));
        ffn.addAll(perLayer(n, "mlp.up.weight", Shape.of(h.hidden(), d), false));
        Entry norm = new Entry("norm.weight", Shape.of(d), false);
        List<Entry> out = new ArrayList<>();
        if (h.version() == 0) {
            out.addAll(embed);
            out.addAll(attnNorm);
            out.addAll(matrices);
            out.addAll(mlpNorm);
            out.addAll(ffn);
            out.add(norm);
            out.add(new Entry(null, Shape.of(h.seqLen(), h.headDim() / 2), false));
            out.add(new Entry(null, Shape.of(h.seqLen(), h.headDim() / 2), false));
        } else {
            out.addAll(attnNorm);
            out.addAll(mlpNorm);
            out.add(norm);
            out.addAll(embed);
            out.addAll(matrices);
            out.addAll(ffn);
        }
        if (!h.sharedClassifier()) {
            out.add(new Entry("head.weight", Shape.of(h.vocab(), d), false));
        }
        return out;
    }

    private static List<Entry> perLayer(int layers, String suffix, Shape shape, boolean rotary) {
        List<Entry> list = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            list.add(new Entry("blocks." + i + "." + suffix, shape, rotary));
        }
        return list;
    }

    /** The file's arrays (in file order, as read) as Bonsai weights: rotary rows to half-split, tables dropped. */
    static Weights toBonsai(Llama2cHeader h, List<float[]> arrays) {
        List<Entry> layout = layout(h);
        Map<String, Tensor> map = new LinkedHashMap<>();
        for (int i = 0; i < layout.size(); i++) {
            Entry e = layout.get(i);
            if (e.name() == null) {
                continue;
            }
            Tensor t = new Tensor(e.shape(), arrays.get(i));
            map.put(e.name(), e.rotary() ? RotaryRows.toHalfSplit(t, h.headDim()) : t);
        }
        return new Weights(map);
    }

    /**
     * The arrays to write for {@code weights}, in file order: rotary rows back to interleaved, and in the legacy
     * layout the rotary tables as llama2.c's {@code precompute_freqs_cis} computes them.
     */
    static List<float[]> fromBonsai(Llama2cHeader h, Weights weights) {
        List<float[]> arrays = new ArrayList<>();
        boolean cosine = true;
        for (Entry e : layout(h)) {
            if (e.name() == null) {
                arrays.add(rotaryTable(h, cosine));
                cosine = false;
                continue;
            }
            Tensor t = weights.get(e.name());
            if (!t.shape().equals(e.shape())) {
                throw new IllegalArgumentException("parameter '" + e.name() + "' has shape " + t.shape()
                        + " but llama2.c's header (" + h + ") asks for " + e.shape());
            }
            arrays.add(e.rotary() ? RotaryRows.toInterleaved(t, h.headDim()).data() : t.data());
        }
        return arrays;
    }

    /** cos (or sin) of position·θ^(−2i/headDim), [seq_len, headDim/2], computed in float32 as llama2.c does. */
    private static float[] rotaryTable(Llama2cHeader h, boolean cosine) {
        int half = h.headDim() / 2;
        float[] table = new float[h.seqLen() * half];
        for (int i = 0; i < half; i++) {
            float freq = (float) (1.0 / Math.pow((float) ROPE_THETA, (float) (2 * i) / h.headDim()));
            for (int t = 0; t < h.seqLen(); t++) {
                float angle = t * freq;
                table[t * half + i] = (float) (cosine ? Math.cos(angle) : Math.sin(angle));
            }
        }
        return table;
    }
}
