package dev.bonsai.strategies.structure;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Structure;

/**
 * Removes pruned neurons for real: a dense layer's neuron whose whole weight row is masked
 * is deleted with its bias, the next dense layer loses the matching input column, and the model spec is rewritten
 * with fewer units, so the smaller model runs faster.
 *
 * <p>A removed neuron still emitted the constant act(bias) in the masked model; that constant times the next
 * layer's column is folded into the next layer's bias, so the compacted model computes exactly what the masked
 * one did (in evaluation mode). Between the two dense layers only activations and dropout may stand; a model
 * with anything else there is refused, naming the layer.
 */
public final class NeuronCompaction {

    private NeuronCompaction() {
    }

    /**
     * Removes every pruned unit of {@code spec}, as {@link PruningGroups#compact} does for the
     * {@code neurons} groups.
     *
     * @throws BonsaiException when every unit of a layer is pruned, or removing a pruned one would change the outputs
     */
    public static Compacted compact(ModelSpec spec, Weights weights, MaskSet masks) {
        return PruningGroups.of(spec, Structure.Unit.NEURONS).compact(weights, masks);
    }
}
