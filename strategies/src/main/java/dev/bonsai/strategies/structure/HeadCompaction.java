package dev.bonsai.strategies.structure;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Structure;

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
     * Removes every pruned unit of {@code spec}, as {@link PruningGroups#compact} does for the
     * {@code heads} groups.
     *
     * @throws BonsaiException when every unit of a layer is pruned, or removing a pruned one would change the outputs
     */
    public static Compacted compact(ModelSpec spec, Weights weights, MaskSet masks) {
        return PruningGroups.of(spec, Structure.Unit.HEADS).compact(weights, masks);
    }
}
