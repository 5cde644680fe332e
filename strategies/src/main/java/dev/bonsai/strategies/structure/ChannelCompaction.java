package dev.bonsai.strategies.structure;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Structure;

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
     * Removes every pruned unit of {@code spec}, as {@link PruningGroups#compact} does for the
     * {@code channels} groups.
     *
     * @throws BonsaiException when every unit of a layer is pruned, or removing a pruned one would change the outputs
     */
    public static Compacted compact(ModelSpec spec, Weights weights, MaskSet masks) {
        return PruningGroups.of(spec, Structure.Unit.CHANNELS).compact(weights, masks);
    }
}
