package dev.bonsai.strategies.structure;

import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.prune.Structure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hidden units of transformer MLPs. In a {@link LayerSpec.TransformerBlock} {@code b}, unit j is row j of
 * {@code b.fc.weight} (the marker) and column j of {@code b.proj.weight} (scored together), masked and removed with
 * entry j of {@code b.fc.bias}; the group's layer is {@code b.fc}. In a {@link LayerSpec.FeedForward} {@code f}
 * (alone or a {@link LayerSpec.DecoderBlock}'s), unit j is row j of {@code f.up.weight} and, when gated, of
 * {@code f.gate.weight} (marker and score, with column j of {@code f.down.weight}), masked and removed with their bias
 * entries; the group's layer is {@code f}.
 *
 * <p>A pruned unit's first rows and bias entries are zero, so it emits act(0)·… = 0 (GELU, SiLU and ReLU map 0 to 0;
 * gated, the product with a zero {@code up} is 0 whatever the activation), and its column of the second projection is
 * zero too: removing it changes no output. A transformer block whose MLP lost units is written out as the two
 * residual branches it computes ({@code <b>.attn_branch}: ln1, attention, dropout; {@code <b>.mlp_branch}: ln2, fc,
 * GELU, proj, dropout), since the block's MLP width is its ratio times the model width; parameter names are
 * unchanged.
 */
final class MlpGroups implements GroupKind {

    @Override
    public Structure.Unit unit() {
        return Structure.Unit.MLP;
    }

    @Override
    public String unitName() {
        return "hidden unit";
    }

    @Override
    public String layerName() {
        return "MLP";
    }

    @Override
    public String description() {
        return "hidden units of transformer MLPs (rows of the first projection, columns of the second)";
    }

    @Override
    public GroupLayout layout(ModelSpec spec) {
        Map<String, List<PruningGroup>> out = new LinkedHashMap<>();
        walk(spec.layers(), spec.inputShape(), out);
        return new GroupLayout(out, Map.of(), Map.of());
    }

    private static void walk(List<LayerSpec> layers, Shape input, Map<String, List<PruningGroup>> out) {
        Shape shape = input;
        for (LayerSpec layer : layers) {
            if (layer instanceof LayerSpec.TransformerBlock b) {
                addBlock(b, shape.dim(1), out);
            } else if (layer instanceof LayerSpec.FeedForward f) {
                addFeedForward(f, out);
            } else if (layer instanceof LayerSpec.DecoderBlock d) {
                addFeedForward(d.mlp(), out);
            } else if (layer instanceof LayerSpec.Residual r) {
                walk(r.body(), shape, out);
            }
            shape = layer.outputShape(shape);
        }
    }

    private static void addBlock(LayerSpec.TransformerBlock b, int width, Map<String, List<PruningGroup>> out) {
        String fc = b.name() + ".fc";
        int hidden = b.mlpRatio() * width;
        List<PruningGroup> groups = new ArrayList<>(hidden);
        for (int j = 0; j < hidden; j++) {
            Slice row = Slice.of(fc + ".weight", 0, j);
            Slice column = Slice.of(b.name() + ".proj.weight", 1, j);
            List<Slice> masked = List.of(row, Slice.of(fc + ".bias", 0, j), column);
            groups.add(new PruningGroup(fc, j, List.of(row), List.of(row, column), masked, masked));
        }
        out.put(fc, groups);
    }

    private static void addFeedForward(LayerSpec.FeedForward f, Map<String, List<PruningGroup>> out) {
        List<PruningGroup> groups = new ArrayList<>(f.hidden());
        for (int j = 0; j < f.hidden(); j++) {
            List<Slice> rows = new ArrayList<>();
            List<Slice> biases = new ArrayList<>();
            for (String projection : f.gated() ? List.of("gate", "up") : List.of("up")) {
                rows.add(Slice.of(f.name() + "." + projection + ".weight", 0, j));
                if (f.bias()) {
                    biases.add(Slice.of(f.name() + "." + projection + ".bias", 0, j));
                }
            }
            Slice column = Slice.of(f.name() + ".down.weight", 1, j);
            List<Slice> scored = new ArrayList<>(rows);
            scored.add(column);
            List<Slice> masked = new ArrayList<>(rows);
            masked.addAll(biases);
            masked.add(column);
            groups.add(new PruningGroup(f.name(), j, rows, scored, masked, masked));
        }
        out.put(f.name(), groups);
    }

    @Override
    public Optional<List<LayerSpec>> rewrite(ModelSpec spec, LayerSpec layer, Map<String, Integer> kept) {
        if (layer instanceof LayerSpec.TransformerBlock b && kept.containsKey(b.name() + ".fc")) {
            return Optional.of(branches(b, LayerInputs.of(spec).get(b.name()).dim(1), kept.get(b.name() + ".fc")));
        }
        if (layer instanceof LayerSpec.FeedForward f && kept.containsKey(f.name())) {
            return Optional.of(List.of(narrower(f, kept.get(f.name()))));
        }
        if (layer instanceof LayerSpec.DecoderBlock d && kept.containsKey(d.mlp().name())) {
            return Optional.of(List.of(new LayerSpec.DecoderBlock(d.name(), d.rmsNorm(), d.normEpsilon(),
                    d.attention(), narrower(d.mlp(), kept.get(d.mlp().name())))));
        }
        return Optional.empty();
    }

    private static LayerSpec.FeedForward narrower(LayerSpec.FeedForward f, int hidden) {
        return new LayerSpec.FeedForward(f.name(), hidden, f.activation(), f.gated(), f.bias());
    }

    /** The block as its two residual branches, with an MLP of {@code hidden} units. */
    private static List<LayerSpec> branches(LayerSpec.TransformerBlock b, int width, int hidden) {
        List<LayerSpec> sub = b.sublayers(width);
        List<LayerSpec> attention = new ArrayList<>(List.of(sub.get(0), sub.get(1)));
        List<LayerSpec> mlp = new ArrayList<>(List.of(sub.get(2), new LayerSpec.Dense(b.name() + ".fc", hidden, true),
                new LayerSpec.Activate(b.name() + ".gelu", Activation.GELU), sub.get(4)));
        if (b.dropout() > 0) {
            attention.add(new LayerSpec.Dropout(b.name() + ".attn_dropout", b.dropout()));
            mlp.add(new LayerSpec.Dropout(b.name() + ".mlp_dropout", b.dropout()));
        }
        return List.of(new LayerSpec.Residual(b.name() + ".attn_branch", attention),
                new LayerSpec.Residual(b.name() + ".mlp_branch", mlp));
    }
}
