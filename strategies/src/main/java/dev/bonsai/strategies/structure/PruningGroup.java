package dev.bonsai.strategies.structure;

import java.util.List;

/**
 * One unit of structured pruning: a set of coupled slices of parameters that are removed together (Torch-Pruning's
 * dependency groups). A neuron is its weight row, bias entry and the next layer's input column; a channel its filter,
 * bias, batch-norm entries and its consumer's input columns; a head its query/key/value rows and output-projection
 * columns; an MLP hidden unit its first dense row and second dense column; a block every parameter of the block.
 *
 * @param layer   the layer whose unit it is: the layer the spec is rewritten at, named as its parameters' layer
 * @param index   the unit's index within that layer
 * @param marker  the slices whose every element being pruned means the group is pruned
 * @param scored  the slices whose element scores make the group's score
 * @param masked  the slices a pruned group's masks cover, so that the masked model computes what the compacted one
 *                will
 * @param removed the slices compaction deletes (the masked ones and what else has one entry per unit: a consumer's
 *                columns, a batch norm's running statistics); empty when the whole layer goes
 */
public record PruningGroup(String layer, int index, List<Slice> marker, List<Slice> scored, List<Slice> masked,
        List<Slice> removed) {
    /** Copies the lists. */
    public PruningGroup {
        marker = List.copyOf(marker);
        scored = List.copyOf(scored);
        masked = List.copyOf(masked);
        removed = List.copyOf(removed);
        if (marker.isEmpty() || scored.isEmpty()) {
            throw new IllegalArgumentException("group " + index + " of layer '" + layer + "' needs marker and scored "
                    + "slices");
        }
    }
}
