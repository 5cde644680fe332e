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
 * Removes pruned conv channels for real: a channel whose whole filter is masked is deleted
 * from its conv (filter and bias), from the batch norms on its way (gamma, beta, running mean and variance) and
 * from the layer that reads it (the next conv's input channel, or a dense layer's H·W columns after a flatten),
 * and the model spec is rewritten with fewer filters. See {@link ChannelGroups} for which convs qualify and why.
 *
 * <p>The compacted model computes exactly what the masked one did (in evaluation mode) because a removed channel
 * emitted zeros there: its bias and batch-norm gamma and beta must be zero too, as
 * {@link ChannelGroups#withCompanions} masks them. A pruned channel whose companions are not zero is refused,
 * naming it, rather than removed with a changed output.
 */
public final class ChannelCompaction {

    private ChannelCompaction() {
    }

    /**
     * Removes every channel of a removable conv of {@code spec} whose filter row is entirely pruned by
     * {@code masks}.
     *
     * @throws BonsaiException when every channel of a conv is pruned, or a pruned channel's bias or batch-norm
     *                         gamma or beta is not zero
     */
    public static Compacted compact(ModelSpec spec, Weights weights, MaskSet masks) {
        ChannelGroups groups = ChannelGroups.of(spec);
        Map<String, Tensor> w = new LinkedHashMap<>(weights.copy().asMap());
        Map<String, Mask> m = new LinkedHashMap<>(masks.asMap());
        Map<String, Integer> removed = new LinkedHashMap<>();
        Map<String, LayerSpec> replaced = new LinkedHashMap<>();
        for (ChannelGroups.Group g : groups.removable().values()) {
            Mask mask = m.get(g.weight());
            if (mask == null) {
                continue;
            }
            BitSet gone = Slices.prunedRows(mask);
            if (gone.isEmpty()) {
                continue;
            }
            LayerSpec.Conv2d conv = g.conv();
            int filters = conv.filters();
            if (gone.cardinality() == filters) {
                throw new BonsaiException("every channel of conv layer '" + conv.name() + "' is pruned; lower the "
                        + "target or exclude the layer");
            }
            checkSilent(g, gone, w);
            int[] keep = Slices.complement(gone, filters);
            Slices.keepIn(w, m, g.weight(), 0, keep);
            if (conv.bias()) {
                Slices.keepIn(w, m, conv.name() + ".bias", 0, keep);
            }
            for (LayerSpec.BatchNorm n : g.norms()) {
                for (String p : List.of("weight", "bias", "running_mean", "running_var")) {
                    Slices.keepIn(w, m, n.name() + "." + p, 0, keep);
                }
            }
            ChannelGroups.Consumer consumer = g.consumer();
            Slices.keepIn(w, m, consumer.layer().name() + ".weight", 1, expand(keep, consumer.spatial()));
            replaced.put(conv.name(), new LayerSpec.Conv2d(conv.name(), keep.length, conv.kernel(), conv.stride(),
                    conv.padding(), conv.bias()));
            removed.put(conv.name(), filters - keep.length);
        }
        ModelSpec compact = new ModelSpec(spec.name(), spec.inputShape(), replace(spec.layers(), replaced));
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        compact.parameters().keySet().forEach(name -> ordered.put(name, w.get(name)));
        Weights result = new Weights(ordered);
        result.checkMatches(compact);
        return new Compacted(compact, result, new MaskSet(m), removed);
    }

    /** Refuses to remove a channel that did not emit zeros in the masked model. */
    private static void checkSilent(ChannelGroups.Group g, BitSet gone, Map<String, Tensor> w) {
        for (String companion : g.companions()) {
            float[] values = w.get(companion).data();
            for (int c = gone.nextSetBit(0); c >= 0; c = gone.nextSetBit(c + 1)) {
                if (values[c] != 0) {
                    throw new BonsaiException("channel " + c + " of conv layer '" + g.conv().name() + "' is pruned "
                            + "but '" + companion + "'[" + c + "] is " + values[c] + ", so the channel still emits a "
                            + "non-zero map and removing it would change the model's outputs; mask its companions "
                            + g.companions() + " with the filter (ChannelGroups.withCompanions) before removing it");
                }
            }
        }
    }

    /** Channel indices to the input indices they occupy when each channel spans {@code spatial} elements. */
    private static int[] expand(int[] keep, int spatial) {
        int[] out = new int[keep.length * spatial];
        for (int k = 0; k < keep.length; k++) {
            for (int s = 0; s < spatial; s++) {
                out[k * spatial + s] = keep[k] * spatial + s;
            }
        }
        return out;
    }

    /** {@code layers} with the layers named in {@code replaced} swapped, residual branches included. */
    private static List<LayerSpec> replace(List<LayerSpec> layers, Map<String, LayerSpec> replaced) {
        List<LayerSpec> out = new ArrayList<>(layers.size());
        for (LayerSpec layer : layers) {
            if (layer instanceof LayerSpec.Residual r) {
                out.add(new LayerSpec.Residual(r.name(), replace(r.body(), replaced)));
            } else {
                out.add(replaced.getOrDefault(layer.name(), layer));
            }
        }
        return out;
    }
}
