package dev.bonsai.strategies.structure;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes pruned attention heads for real: a head whose {@code qkv.weight} rows are all masked
 * is deleted from the fused query/key/value projection (weight rows and bias entries) and from the output
 * projection's columns, and the layer is rewritten with fewer heads of the same width (see
 * {@link AttentionHeads} for the layout).
 *
 * <p>The compacted model computes exactly what the masked one did: a removed head added nothing to the output
 * projection, since either its {@code proj.weight} columns are zero or its values are (value rows and value bias
 * zero, so every attention-weighted sum of them is 0). A pruned head for which neither holds is refused, naming
 * it, rather than removed with a changed output.
 */
public final class HeadCompaction {

    private HeadCompaction() {
    }

    /**
     * Removes every head of an attention layer of {@code spec} whose {@code qkv.weight} rows are all pruned by
     * {@code masks}.
     *
     * @throws BonsaiException when every head of a layer is pruned, or a pruned head still adds to the output
     */
    public static Compacted compact(ModelSpec spec, Weights weights, MaskSet masks) {
        Map<String, Tensor> w = new LinkedHashMap<>(weights.copy().asMap());
        Map<String, Mask> m = new LinkedHashMap<>(masks.asMap());
        Map<String, Integer> removed = new LinkedHashMap<>();
        Map<String, Integer> kept = new LinkedHashMap<>();
        for (AttentionHeads.Layer layer : AttentionHeads.of(spec).layers().values()) {
            BitSet gone = AttentionHeads.pruned(layer, masks);
            if (gone.isEmpty()) {
                continue;
            }
            if (gone.cardinality() == layer.heads()) {
                throw new BonsaiException("every head of attention layer '" + layer.name() + "' is pruned; lower the "
                        + "target or exclude the layer");
            }
            checkSilent(layer, gone, w);
            int[] keep = Slices.complement(gone, layer.heads());
            int[] rows = layer.qkvRows(keep);
            Slices.keepIn(w, m, layer.qkvWeight(), 0, rows);
            Slices.keepIn(w, m, layer.qkvBias(), 0, rows);
            Slices.keepIn(w, m, layer.projWeight(), 1, layer.projColumns(keep));
            removed.put(layer.name(), gone.cardinality());
            kept.put(layer.name(), keep.length);
        }
        ModelSpec compact = new ModelSpec(spec.name(), spec.inputShape(), rewrite(spec.layers(), kept,
                AttentionHeads.of(spec).layers()));
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        compact.parameters().keySet().forEach(name -> ordered.put(name, w.get(name)));
        Weights result = new Weights(ordered);
        result.checkMatches(compact);
        return new Compacted(compact, result, new MaskSet(m), removed);
    }

    /** Refuses to remove a head that still adds to the output projection. */
    private static void checkSilent(AttentionHeads.Layer layer, BitSet gone, Map<String, Tensor> w) {
        float[] qkv = w.get(layer.qkvWeight()).data();
        float[] bias = w.get(layer.qkvBias()).data();
        float[] proj = w.get(layer.projWeight()).data();
        int d = layer.width();
        for (int h = gone.nextSetBit(0); h >= 0; h = gone.nextSetBit(h + 1)) {
            boolean projZero = true;
            for (int column : layer.projColumns(new int[] {h})) {
                for (int r = 0; r < d; r++) {
                    projZero &= proj[r * layer.inner() + column] == 0;
                }
            }
            boolean valuesZero = true;
            for (int i = 0; i < layer.headDim(); i++) {
                int row = 2 * layer.inner() + h * layer.headDim() + i;
                valuesZero &= bias[row] == 0;
                for (int c = 0; c < d; c++) {
                    valuesZero &= qkv[row * d + c] == 0;
                }
            }
            if (!projZero && !valuesZero) {
                throw new BonsaiException("head " + h + " of attention layer '" + layer.name() + "' is pruned but "
                        + "neither its value rows of '" + layer.qkvWeight() + "' and '" + layer.qkvBias() + "' nor its "
                        + "columns of '" + layer.projWeight() + "' are zero, so it still adds to the output and "
                        + "removing it would change the model's outputs; mask it with AttentionHeads.select");
            }
        }
    }

    /** {@code layers} with the attention layers in {@code kept} given their new head count, nested ones included. */
    private static List<LayerSpec> rewrite(List<LayerSpec> layers, Map<String, Integer> kept,
            Map<String, AttentionHeads.Layer> attention) {
        List<LayerSpec> out = new ArrayList<>(layers.size());
        for (LayerSpec layer : layers) {
            if (layer instanceof LayerSpec.Residual r) {
                out.add(new LayerSpec.Residual(r.name(), rewrite(r.body(), kept, attention)));
            } else if (layer instanceof LayerSpec.CausalSelfAttention a && kept.containsKey(a.name())) {
                out.add(new LayerSpec.CausalSelfAttention(a.name(), kept.get(a.name()), a.dropout(),
                        attention.get(a.name()).headDim()));
            } else if (layer instanceof LayerSpec.TransformerBlock b && kept.containsKey(b.attention().name())) {
                String name = b.attention().name();
                out.add(new LayerSpec.TransformerBlock(b.name(), kept.get(name), b.mlpRatio(), b.dropout(),
                        attention.get(name).headDim()));
            } else {
                out.add(layer);
            }
        }
        return out;
    }
}
