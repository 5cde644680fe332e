package dev.bonsai.strategies.structure;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Structure;

/** The removal of pruned units of one structure: the pruning groups of its kind, see {@link PruningGroups}. */
public final class UnitRemoval {

    private UnitRemoval() {
    }

    /**
     * Removes the pruned units of kind {@code unit} from the model.
     *
     * @throws BonsaiException whatever the unit's compaction refuses
     */
    public static Compacted compact(Structure.Unit unit, ModelSpec spec, Weights weights, MaskSet masks) {
        return PruningGroups.of(spec, unit).compact(weights, masks);
    }
}
