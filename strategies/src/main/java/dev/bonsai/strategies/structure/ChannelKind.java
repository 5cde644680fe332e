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
 * Output channels of conv layers, as {@link ChannelGroups} finds them: channel c is row c of the filter (marker and
 * score), masked with its companions (the conv's bias entry, the batch norms' gamma and beta) and removed with them,
 * the batch norms' running statistics and its consumer's input columns (a conv's input channel c, or a dense layer's
 * H·W columns after a flatten).
 */
final class ChannelKind implements GroupKind {

    @Override
    public Structure.Unit unit() {
        return Structure.Unit.CHANNELS;
    }

    @Override
    public boolean refusesEmptyingTargetsBeforeRun() {
        return false;
    }

    @Override
    public String unitName() {
        return "channel";
    }

    @Override
    public String layerName() {
        return "conv layer";
    }

    @Override
    public String description() {
        return "output channels of conv layers";
    }

    @Override
    public GroupLayout layout(ModelSpec spec) {
        ChannelGroups channels = ChannelGroups.of(spec);
        Map<String, List<PruningGroup>> out = new LinkedHashMap<>();
        for (ChannelGroups.Group g : channels.removable().values()) {
            LayerSpec.Conv2d conv = g.conv();
            ChannelGroups.Consumer consumer = g.consumer();
            List<PruningGroup> groups = new ArrayList<>(conv.filters());
            for (int c = 0; c < conv.filters(); c++) {
                Slice filter = Slice.of(g.weight(), 0, c);
                List<Slice> masked = new ArrayList<>(List.of(filter));
                for (String companion : g.companions()) {
                    masked.add(Slice.of(companion, 0, c));
                }
                List<Slice> removed = new ArrayList<>(masked);
                for (LayerSpec.BatchNorm n : g.norms()) {
                    removed.add(Slice.of(n.name() + ".running_mean", 0, c));
                    removed.add(Slice.of(n.name() + ".running_var", 0, c));
                }
                int[] columns = new int[consumer.spatial()];
                for (int s = 0; s < columns.length; s++) {
                    columns[s] = c * consumer.spatial() + s;
                }
                removed.add(new Slice(consumer.layer().name() + ".weight", 1, columns));
                groups.add(new PruningGroup(conv.name(), c, List.of(filter), List.of(filter), masked, removed));
            }
            out.put(conv.name(), groups);
        }
        return new GroupLayout(out, channels.excluded(), Map.of());
    }

    /** Refuses to remove a channel that did not emit zeros in the masked model. */
    @Override
    public void prepareRemoval(ModelSpec spec, String layer, List<PruningGroup> groups, BitSet gone,
            Map<String, Tensor> w) {
        ChannelGroups.Group g = ChannelGroups.of(spec).removable().get(layer);
        for (String companion : g.companions()) {
            float[] values = w.get(companion).data();
            for (int c = gone.nextSetBit(0); c >= 0; c = gone.nextSetBit(c + 1)) {
                if (values[c] != 0) {
                    throw new BonsaiException("channel " + c + " of conv layer '" + g.conv().name() + "' is pruned "
                            + "but '" + companion + "'[" + c + "] is " + values[c] + ", so the channel still emits a "
                            + "non-zero map and removing it would change the model's outputs; mask its companions "
                            + g.companions() + " with the filter (PruningGroups.select) before removing it");
                }
            }
        }
    }

    @Override
    public Optional<List<LayerSpec>> rewrite(ModelSpec spec, LayerSpec layer, Map<String, Integer> kept) {
        if (layer instanceof LayerSpec.Conv2d conv && kept.containsKey(conv.name())) {
            return Optional.of(List.of(new LayerSpec.Conv2d(conv.name(), kept.get(conv.name()), conv.kernel(),
                    conv.stride(), conv.padding(), conv.bias())));
        }
        return Optional.empty();
    }
}
