package dev.bonsai.strategies.structure;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Structure;

/** The removal of pruned units of one kind: neurons, channels or attention heads. */
public final class UnitRemoval {

    private UnitRemoval() {
    }

    /**
     * Removes the pruned units of kind {@code unit} from the model.
     *
     * @throws BonsaiException whatever the unit's compaction refuses
     */
    public static Compacted compact(Structure.Unit unit, ModelSpec spec, Weights weights, MaskSet masks) {
        return switch (unit) {
            case NEURONS -> NeuronCompaction.compact(spec, weights, masks);
            case CHANNELS -> ChannelCompaction.compact(spec, weights, masks);
            case HEADS -> HeadCompaction.compact(spec, weights, masks);
        };
    }
}
