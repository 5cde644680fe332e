package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.MaskTarget;
import dev.bonsai.api.prune.PruningOutcome;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor.LayerOverride;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The host's side of a strategy that selects its own masks: the target it is given, the outcome it must return. */
class SelfSelectedTargetTest {
    private static final ModelSpec MLP = new ModelSpec("mlp", Shape.of(4), List.of(
            new LayerSpec.Dense("fc1", 3, true), new LayerSpec.Dense("fc2", 2, true)));
    private final PrunableSet set = PrunableSet.of(MLP, List.of(), List.of(new LayerOverride("fc2", 0.8)),
            new Structure.Unstructured());

    @Test
    void sharedParametersGetTheRoundsSparsityAndOverridesTheirOwnScaledLikeIt() {
        MaskTarget target = set.target("sparsegpt", 0.25, 0.5, Scope.LAYERWISE, new Structure.NOfM(2, 4));
        assertThat(target.sparsities()).containsExactly(Map.entry("fc1.weight", 0.25), Map.entry("fc2.weight", 0.4));
        assertThat(target.structure()).isEqualTo(new Structure.NOfM(2, 4));
        assertThatThrownBy(() -> set.target("sparsegpt", 0.5, 0.5, Scope.GLOBAL, new Structure.Unstructured()))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'sparsegpt'")
                .hasMessageContaining("layerwise").hasMessageContaining("'global'");
    }

    private static Mask mask(int rows, int cols, int... pruned) {
        BitSet kept = new BitSet();
        kept.set(0, rows * cols);
        for (int i : pruned) {
            kept.clear(i);
        }
        return new Mask(Shape.of(rows, cols), kept);
    }

    @Test
    void theOutcomeMustCoverEveryPrunableParameterAndKeepEarlierPrunedPositionsPruned() {
        Weights none = new Weights(Map.of());
        MaskSet current = new MaskSet(Map.of("fc1.weight", mask(3, 4, 0, 5), "fc1.bias", Mask.dense(Shape.of(3))));
        MaskSet accepted = set.accept("s", new PruningOutcome(new MaskSet(Map.of("fc1.weight", mask(3, 4, 0, 5, 6),
                "fc2.weight", mask(2, 3, 1))), none), current, MLP);
        assertThat(accepted.asMap().keySet()).containsExactly("fc1.weight", "fc2.weight", "fc1.bias");
        assertThat(accepted.get("fc1.weight").orElseThrow().prunedCount()).isEqualTo(3);

        assertThatThrownBy(() -> set.accept("s", new PruningOutcome(new MaskSet(Map.of("fc1.weight",
                mask(3, 4, 0, 5))), none), current, MLP))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("no mask for prunable parameter 'fc2.weight'");
        assertThatThrownBy(() -> set.accept("s", new PruningOutcome(new MaskSet(Map.of("fc1.weight", mask(3, 4, 0),
                "fc2.weight", mask(2, 3))), none), current, MLP))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("kept 1 position(s) of 'fc1.weight'")
                .hasMessageContaining("element 5");
        assertThatThrownBy(() -> set.accept("s", new PruningOutcome(new MaskSet(Map.of("fc1.weight",
                mask(3, 4, 0, 5), "fc2.weight", mask(2, 3))), new Weights(Map.of("fc3.weight",
                Tensor.zeros(Shape.of(1, 1))))), current, MLP))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("do not fit model 'mlp'");
    }
}
