package dev.bonsai.strategies.structure;

import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which output channels of a model's convolutions can be removed, and what else has one entry per channel.
 *
 * <p>A channel is removed exactly when the masked model's channel emits zeros everywhere: its filter row
 * <em>and its companions</em> — the conv's bias entry and the scale (gamma) and shift (beta) of every batch norm
 * on its way to the next layer that mixes channels — are masked, so conv → batch norm gives exactly 0 in training
 * and evaluation mode alike, and the activations, pooling and dropout after it keep 0 (an activation must map 0
 * to 0: ReLU, tanh and GELU do, sigmoid does not). Then the channel can be deleted from the conv, its bias and
 * batch norms (gamma, beta, running mean and variance), and from the consumer: the next conv's input channel, or,
 * after a {@code Flatten}, the next dense layer's H·W input columns of that channel ({@code [C, H, W]} flattens
 * row-major on every engine, so channel c is columns {@code c·H·W … (c+1)·H·W − 1}). A constant act(bias) cannot
 * be folded into the next conv's bias instead, since zero padding shows it only where the window is inside the
 * image; hence the companions are masked rather than folded.
 *
 * <p>A conv is <b>excluded</b>, with the reason, when its output is the model's output, feeds a residual connection
 * (the addition needs the same channels on both sides; a conv inside a residual branch whose output goes on to
 * another conv of the branch is removable), passes an activation that does not keep 0, or reaches a layer that is
 * neither a conv nor a flatten-then-dense through activations, pooling, batch norm and dropout.
 */
public final class ChannelGroups {

    /**
     * One removable conv layer's channels.
     *
     * @param conv     the conv layer
     * @param norms    the batch norms between it and its consumer, in order
     * @param consumer the layer that reads its channels
     */
    public record Group(LayerSpec.Conv2d conv, List<LayerSpec.BatchNorm> norms, Consumer consumer) {
        /** Copies the list. */
        public Group {
            norms = List.copyOf(norms);
        }

        /** The conv's weight parameter, whose rows are the channels' filters. */
        public String weight() {
            return conv.name() + ".weight";
        }

        /** The trainable parameters with one entry per channel that a removed channel's mask covers. */
        public List<String> companions() {
            List<String> out = new ArrayList<>();
            if (conv.bias()) {
                out.add(conv.name() + ".bias");
            }
            for (LayerSpec.BatchNorm n : norms) {
                out.add(n.name() + ".weight");
                out.add(n.name() + ".bias");
            }
            return out;
        }
    }

    /**
     * The layer that reads a removable conv's channels.
     *
     * @param layer   a {@link LayerSpec.Conv2d} (input channels on axis 1 of its kernel) or a
     *                {@link LayerSpec.Dense} after a flatten (input columns)
     * @param spatial input elements per channel: 1 for a conv, H·W of the flattened map for a dense layer
     */
    public record Consumer(LayerSpec layer, int spatial) {
    }

    private final Map<String, Group> removable;
    private final Map<String, String> excluded;

    private ChannelGroups(Map<String, Group> removable, Map<String, String> excluded) {
        this.removable = Collections.unmodifiableMap(removable);
        this.excluded = Collections.unmodifiableMap(excluded);
    }

    /** The analysis of {@code spec}'s conv layers, the layers in residual branches included. */
    public static ChannelGroups of(ModelSpec spec) {
        Map<String, Group> removable = new LinkedHashMap<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        walk(spec.layers(), spec.inputShape(), Optional.empty(), removable, excluded);
        return new ChannelGroups(removable, excluded);
    }

    /** The conv layers whose channels can be removed, by name, in model order. */
    public Map<String, Group> removable() {
        return removable;
    }

    /** The conv layers whose channels cannot be removed, by name, with the reason, in model order. */
    public Map<String, String> excluded() {
        return excluded;
    }

    /**
     * {@code masks} with every removable conv's fully pruned filter rows extended to their companions (the conv's
     * bias, the batch norms' gamma and beta), combined with any companion masks already there; other masks are
     * unchanged.
     */
    public MaskSet withCompanions(MaskSet masks) {
        Map<String, Mask> out = new LinkedHashMap<>(masks.asMap());
        for (Group g : removable.values()) {
            Mask weight = out.get(g.weight());
            if (weight == null) {
                continue;
            }
            BitSet gone = Slices.prunedRows(weight);
            if (gone.isEmpty()) {
                continue;
            }
            for (String companion : g.companions()) {
                BitSet kept = new BitSet();
                kept.set(0, g.conv().filters());
                kept.andNot(gone);
                Mask mask = new Mask(Shape.of(g.conv().filters()), kept);
                Mask existing = out.get(companion);
                out.put(companion, existing == null ? mask : existing.and(mask));
            }
        }
        return new MaskSet(out);
    }

    private static Shape walk(List<LayerSpec> layers, Shape input, Optional<String> residual,
            Map<String, Group> removable, Map<String, String> excluded) {
        List<Shape> inputs = new ArrayList<>();
        Shape shape = input;
        for (LayerSpec layer : layers) {
            inputs.add(shape);
            if (layer instanceof LayerSpec.Residual r) {
                walk(r.body(), shape, Optional.of(r.name()), removable, excluded);
            }
            shape = layer.outputShape(shape);
        }
        inputs.add(shape);
        for (int k = 0; k < layers.size(); k++) {
            if (layers.get(k) instanceof LayerSpec.Conv2d conv) {
                follow(conv, layers, inputs, k, residual, removable, excluded);
            }
        }
        return shape;
    }

    /** Follows the conv at {@code k} to the layer that consumes its channels. */
    private static void follow(LayerSpec.Conv2d conv, List<LayerSpec> layers, List<Shape> inputs, int k,
            Optional<String> residual, Map<String, Group> removable, Map<String, String> excluded) {
        List<LayerSpec.BatchNorm> norms = new ArrayList<>();
        boolean flattened = false;
        int spatial = 1;
        for (int j = k + 1; j < layers.size(); j++) {
            LayerSpec layer = layers.get(j);
            if (layer instanceof LayerSpec.Activate a) {
                double zero = Activations.apply(a.function(), 0);
                if (zero != 0) {
                    excluded.put(conv.name(), "activation '" + a.name() + "' (" + a.kind() + ") maps 0 to " + zero
                            + ", so a removed channel would not emit zeros");
                    return;
                }
            } else if (layer instanceof LayerSpec.Dropout) {
                continue;
            } else if (!flattened && layer instanceof LayerSpec.Pool2d) {
                continue;
            } else if (!flattened && layer instanceof LayerSpec.BatchNorm n) {
                norms.add(n);
            } else if (!flattened && layer instanceof LayerSpec.Flatten) {
                Shape in = inputs.get(j);
                spatial = in.dim(1) * in.dim(2);
                flattened = true;
            } else if (!flattened && layer instanceof LayerSpec.Conv2d) {
                removable.put(conv.name(), new Group(conv, norms, new Consumer(layer, 1)));
                return;
            } else if (flattened && layer instanceof LayerSpec.Dense) {
                removable.put(conv.name(), new Group(conv, norms, new Consumer(layer, spatial)));
                return;
            } else if (layer instanceof LayerSpec.Residual) {
                excluded.put(conv.name(), "its output feeds residual '" + layer.name() + "', whose addition needs the "
                        + "same channels on both sides");
                return;
            } else {
                excluded.put(conv.name(), "layer '" + layer.name() + "' (" + layer.kind() + ") stands between it and "
                        + "the next conv (or flatten and dense) layer, and cannot carry channels through");
                return;
            }
        }
        excluded.put(conv.name(), residual.map(r -> "its output is added to the input of residual '" + r
                + "', which needs the same channels on both sides").orElse("its outputs are the model's outputs"));
    }
}
