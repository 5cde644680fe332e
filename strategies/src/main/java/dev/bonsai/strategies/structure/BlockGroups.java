package dev.bonsai.strategies.structure;

import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.prune.Structure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whole residual blocks (depth pruning): a {@link LayerSpec.TransformerBlock}, a {@link LayerSpec.DecoderBlock} or a
 * {@link LayerSpec.Residual} of the model's own layers is one group, scored on all its weights (the sum of their
 * scores, so a block's score grows with what it holds; a strategy may score blocks directly as {@code
 * <block>.blocks}), and masked on every trainable parameter. Blocks are selected over the whole model, which keeps at
 * least one.
 *
 * <p>A block computes {@code x + f(x)}; with every trainable parameter zero, {@code f(x)} is exactly 0 (its norms
 * emit 0, so its attention and MLP read 0 and their zero output projections and biases emit 0), so the masked block
 * passes its input through and removing it changes no output. A residual qualifies when its branch ends in a layer
 * that emits 0 with zero parameters (dense, conv, a norm, attention, feed-forward) followed only by layers that keep
 * 0 (dropout, pooling, activations mapping 0 to 0); others are excluded with the reason.
 */
final class BlockGroups implements GroupKind {

    @Override
    public Structure.Unit unit() {
        return Structure.Unit.BLOCKS;
    }

    @Override
    public String unitName() {
        return "block";
    }

    @Override
    public String layerName() {
        return "block";
    }

    @Override
    public String description() {
        return "whole residual blocks (transformer, decoder and residual blocks; depth pruning)";
    }

    @Override
    public boolean summed() {
        return true;
    }

    @Override
    public boolean pooled() {
        return true;
    }

    @Override
    public GroupLayout layout(ModelSpec spec) {
        Map<String, List<PruningGroup>> out = new LinkedHashMap<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        Shape shape = spec.inputShape();
        for (LayerSpec layer : spec.layers()) {
            boolean block = layer instanceof LayerSpec.TransformerBlock || layer instanceof LayerSpec.DecoderBlock;
            if (layer instanceof LayerSpec.Residual r) {
                Optional<String> why = whyNotSilenced(r);
                why.ifPresent(reason -> excluded.put(r.name(), reason));
                block = why.isEmpty();
            }
            if (block) {
                group(layer, shape).ifPresentOrElse(g -> out.put(layer.name(), List.of(g)),
                        () -> excluded.put(layer.name(), "it has no weights to score"));
            }
            shape = layer.outputShape(shape);
        }
        return new GroupLayout(out, excluded, Map.of());
    }

    private static Optional<PruningGroup> group(LayerSpec layer, Shape input) {
        List<Slice> weights = new ArrayList<>();
        List<Slice> trainable = new ArrayList<>();
        for (ParameterSpec p : layer.parameters(input)) {
            int rows = p.shape().dim(0);
            int[] all = new int[rows];
            for (int i = 0; i < rows; i++) {
                all[i] = i;
            }
            Slice whole = new Slice(p.name(), 0, all);
            if (p.role() == ParameterRole.WEIGHT) {
                weights.add(whole);
            }
            if (p.role() != ParameterRole.RUNNING_MEAN && p.role() != ParameterRole.RUNNING_VAR) {
                trainable.add(whole);
            }
        }
        if (weights.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PruningGroup(layer.name(), 0, weights, weights, trainable, List.of()));
    }

    /** Why zeroing the branch's parameters would not make it emit 0, or empty when it would. */
    private static Optional<String> whyNotSilenced(LayerSpec.Residual r) {
        List<LayerSpec> body = r.body();
        for (int k = body.size() - 1; k >= 0; k--) {
            LayerSpec layer = body.get(k);
            if (emitsZeroWhenZeroed(layer)) {
                return Optional.empty();
            }
            if (layer instanceof LayerSpec.Activate a) {
                double zero = Activations.apply(a.function(), 0);
                if (zero != 0) {
                    return Optional.of("its branch ends in activation '" + a.name() + "' (" + a.kind() + "), which "
                            + "maps 0 to " + zero + ", so the zeroed branch would not emit 0");
                }
            } else if (!(layer instanceof LayerSpec.Dropout || layer instanceof LayerSpec.Pool2d)) {
                return Optional.of("its branch ends in layer '" + layer.name() + "' (" + layer.kind() + "), which "
                        + "does not emit 0 when its parameters are zero");
            }
        }
        return Optional.of("its branch has no layer that emits 0 when its parameters are zero");
    }

    private static boolean emitsZeroWhenZeroed(LayerSpec layer) {
        return layer instanceof LayerSpec.Dense || layer instanceof LayerSpec.Conv2d
                || layer instanceof LayerSpec.BatchNorm || layer instanceof LayerSpec.LayerNorm
                || layer instanceof LayerSpec.RmsNorm || layer instanceof LayerSpec.CausalSelfAttention
                || layer instanceof LayerSpec.Attention || layer instanceof LayerSpec.FeedForward;
    }

    @Override
    public Optional<List<LayerSpec>> rewrite(ModelSpec spec, LayerSpec layer, Map<String, Integer> kept) {
        if (kept.containsKey(layer.name()) && kept.get(layer.name()) == 0) {
            return Optional.of(List.of());
        }
        return Optional.empty();
    }
}
