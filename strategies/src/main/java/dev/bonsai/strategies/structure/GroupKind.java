package dev.bonsai.strategies.structure;

import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.prune.Structure;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One kind of pruning group (neurons, channels, heads, MLP hidden units, blocks): what the layers of a model declare
 * about their units. Scoring, selection, the minimum kept per layer, masking and compaction are {@link PruningGroups}',
 * the same for every kind; a kind only says which slices make up each unit, how removing units rewrites a layer, and
 * when a pruned unit may be removed without changing the model's outputs.
 */
public interface GroupKind {

    /** The structure this kind implements. */
    Structure.Unit unit();

    /** The structure's name in descriptors and records, for example {@code heads}. */
    default String name() {
        return unit().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** One unit in messages, for example {@code head}. */
    String unitName();

    /** The kind of layer whose units these are, in messages, for example {@code attention layer}. */
    String layerName();

    /** What this kind removes, for the reference and messages, for example {@code heads of attention layers}. */
    String description();

    /** The groups of {@code spec}, the excluded layers and those whose removal is refused. */
    GroupLayout layout(ModelSpec spec);

    /**
     * Whether a group's score is the sum of its scored elements' scores (as for blocks, so a bigger block weighs
     * more) rather than their mean (units of different fan-in compare fairly).
     */
    default boolean summed() {
        return false;
    }

    /**
     * Whether the units of all layers form one pool, for selection under any scope and for the minimum kept (blocks:
     * a layer is one block, and at least one block of the model is kept); otherwise each layer keeps at least one
     * unit.
     */
    default boolean pooled() {
        return false;
    }

    /**
     * Whether a run refuses, before any work, a target that would remove every unit of a layer (of a pooled kind: of
     * the model). Neurons and channels do not: such a trial runs, and its selection, which refuses to empty a layer
     * for every kind, fails it; the sweep records the failure and goes on.
     */
    default boolean refusesEmptyingTargetsBeforeRun() {
        return true;
    }

    /**
     * Checks that removing the pruned groups {@code gone} of {@code layer} leaves the outputs unchanged, or makes it
     * so by folding what they still emitted into a layer that stays (the weights {@code w} may be changed in place).
     * The default requires every element of the pruned groups' masked slices to be zero.
     *
     * @throws dev.bonsai.api.BonsaiException naming the unit when removing it would change the outputs
     */
    default void prepareRemoval(ModelSpec spec, String layer, List<PruningGroup> groups, BitSet gone,
            Map<String, Tensor> w) {
        for (int g = gone.nextSetBit(0); g >= 0; g = gone.nextSetBit(g + 1)) {
            for (Slice slice : groups.get(g).masked()) {
                Tensor t = w.get(slice.parameter());
                float[] data = t.data();
                boolean[] zero = {true};
                slice.forEachElement(t.shape().dims(), i -> zero[0] &= data[i] == 0);
                if (!zero[0]) {
                    String unit = pooled() ? unitName() + " '" + layer + "'"
                            : unitName() + " " + g + " of " + layerName() + " '" + layer + "'";
                    throw new dev.bonsai.api.BonsaiException(unit + " is pruned but its slice of '" + slice.parameter()
                            + "' is not zero, so removing it would change the model's outputs; mask it with "
                            + "PruningGroups.select before removing it");
                }
            }
        }
    }

    /**
     * {@code layer} rewritten for the units kept in the layers of {@code kept} (by layer name, only layers that lost
     * units): the layers that replace it (none when it is removed), or empty when this kind leaves it as it is.
     */
    Optional<List<LayerSpec>> rewrite(ModelSpec spec, LayerSpec layer, Map<String, Integer> kept);
}
