package dev.bonsai.strategies.structure;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.prune.Structure;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Attention heads, laid out as {@link AttentionHeads} says: head h is its rows of {@code qkv.weight} (the marker),
 * scored with its columns of {@code proj.weight}, and masked and removed with its {@code qkv.bias} rows too. A
 * removed head must add nothing to the output projection: either its {@code proj.weight} columns are zero or its
 * values are (value rows and value bias zero, so every attention-weighted sum of them is 0).
 */
final class HeadKind implements GroupKind {

    @Override
    public Structure.Unit unit() {
        return Structure.Unit.HEADS;
    }

    @Override
    public String unitName() {
        return "head";
    }

    @Override
    public String layerName() {
        return "attention layer";
    }

    @Override
    public String description() {
        return "heads of attention layers";
    }

    @Override
    public GroupLayout layout(ModelSpec spec) {
        Map<String, List<PruningGroup>> out = new LinkedHashMap<>();
        for (AttentionHeads.Layer layer : AttentionHeads.of(spec).layers().values()) {
            List<PruningGroup> groups = new ArrayList<>(layer.heads());
            for (int h = 0; h < layer.heads(); h++) {
                int[] one = {h};
                Slice rows = new Slice(layer.qkvWeight(), 0, layer.qkvRows(one));
                Slice columns = new Slice(layer.projWeight(), 1, layer.projColumns(one));
                List<Slice> masked = List.of(rows, new Slice(layer.qkvBias(), 0, layer.qkvRows(one)), columns);
                groups.add(new PruningGroup(layer.name(), h, List.of(rows), List.of(rows, columns), masked, masked));
            }
            out.put(layer.name(), groups);
        }
        return new GroupLayout(out, Map.of(), Map.of());
    }

    /** Refuses to remove a head that still adds to the output projection. */
    @Override
    public void prepareRemoval(ModelSpec spec, String name, List<PruningGroup> groups, BitSet gone,
            Map<String, Tensor> w) {
        AttentionHeads.Layer layer = AttentionHeads.of(spec).layers().get(name);
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
                        + "removing it would change the model's outputs; mask it with PruningGroups.select");
            }
        }
    }

    @Override
    public Optional<List<LayerSpec>> rewrite(ModelSpec spec, LayerSpec layer, Map<String, Integer> kept) {
        Map<String, AttentionHeads.Layer> attention = AttentionHeads.of(spec).layers();
        if (layer instanceof LayerSpec.CausalSelfAttention a && kept.containsKey(a.name())) {
            return Optional.of(List.of(new LayerSpec.CausalSelfAttention(a.name(), kept.get(a.name()), a.dropout(),
                    attention.get(a.name()).headDim())));
        }
        if (layer instanceof LayerSpec.TransformerBlock b && kept.containsKey(b.attention().name())) {
            String name = b.attention().name();
            return Optional.of(List.of(new LayerSpec.TransformerBlock(b.name(), kept.get(name), b.mlpRatio(),
                    b.dropout(), attention.get(name).headDim())));
        }
        return Optional.empty();
    }
}
