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
        walkGrouped(spec.layers(), out);
        return new GroupLayout(order(spec, out), Map.of(), Map.of());
    }

    /** Adds the grouped-query attention layers, alone or in decoder blocks, residual branches included. */
    private static void walkGrouped(List<LayerSpec> layers, Map<String, List<PruningGroup>> out) {
        for (LayerSpec layer : layers) {
            if (layer instanceof LayerSpec.Attention a) {
                out.put(a.name(), grouped(a));
            } else if (layer instanceof LayerSpec.DecoderBlock d) {
                out.put(d.attention().name(), grouped(d.attention()));
            } else if (layer instanceof LayerSpec.Residual r) {
                walkGrouped(r.body(), out);
            }
        }
    }

    /**
     * The groups of a grouped-query attention layer: one per key/value head, with the query heads that share it
     * (their rows of {@code q}, the key/value head's rows of {@code k} and {@code v}, their biases, and the query
     * heads' columns of {@code o}), so every key/value head keeps the same number of query heads.
     */
    private static List<PruningGroup> grouped(LayerSpec.Attention a) {
        int d = a.headDim();
        int size = a.groupSize();
        List<PruningGroup> groups = new ArrayList<>(a.kvHeads());
        for (int g = 0; g < a.kvHeads(); g++) {
            int[] queries = range(g * size * d, (g + 1) * size * d);
            int[] keys = range(g * d, (g + 1) * d);
            List<Slice> rows = List.of(new Slice(a.name() + ".q.weight", 0, queries),
                    new Slice(a.name() + ".k.weight", 0, keys), new Slice(a.name() + ".v.weight", 0, keys));
            Slice columns = new Slice(a.name() + ".o.weight", 1, queries);
            List<Slice> scored = new ArrayList<>(rows);
            scored.add(columns);
            List<Slice> masked = new ArrayList<>(scored);
            if (a.qkvBias()) {
                masked.add(new Slice(a.name() + ".q.bias", 0, queries));
                masked.add(new Slice(a.name() + ".k.bias", 0, keys));
                masked.add(new Slice(a.name() + ".v.bias", 0, keys));
            }
            groups.add(new PruningGroup(a.name(), g, rows, scored, masked, masked));
        }
        return groups;
    }

    private static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    /** {@code groups} in the order of the layers' parameters in the spec. */
    private static Map<String, List<PruningGroup>> order(ModelSpec spec, Map<String, List<PruningGroup>> groups) {
        Map<String, List<PruningGroup>> out = new LinkedHashMap<>();
        spec.parameters().values().forEach(p -> {
            if (groups.containsKey(p.layer())) {
                out.putIfAbsent(p.layer(), groups.get(p.layer()));
            }
        });
        return out;
    }

    /**
     * Refuses to remove a head that still adds to the output projection; a grouped-query attention layer's groups
     * must be zero in every masked slice.
     */
    @Override
    public void prepareRemoval(ModelSpec spec, String name, List<PruningGroup> groups, BitSet gone,
            Map<String, Tensor> w) {
        AttentionHeads.Layer layer = AttentionHeads.of(spec).layers().get(name);
        if (layer == null) {
            GroupKind.super.prepareRemoval(spec, name, groups, gone, w);
            return;
        }
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
        if (layer instanceof LayerSpec.Attention a && kept.containsKey(a.name())) {
            return Optional.of(List.of(fewer(a, kept.get(a.name()))));
        }
        if (layer instanceof LayerSpec.DecoderBlock d && kept.containsKey(d.attention().name())) {
            return Optional.of(List.of(new LayerSpec.DecoderBlock(d.name(), d.rmsNorm(), d.normEpsilon(),
                    fewer(d.attention(), kept.get(d.attention().name())), d.mlp())));
        }
        return Optional.empty();
    }

    /** {@code a} with {@code kvHeads} key/value heads, each with its query heads. */
    private static LayerSpec.Attention fewer(LayerSpec.Attention a, int kvHeads) {
        return new LayerSpec.Attention(a.name(), kvHeads * a.groupSize(), kvHeads, a.headDim(), a.ropeTheta(),
                a.qkvBias(), a.outputBias());
    }
}
