package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.PoolKind;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor.LayerOverride;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which weights a structure prunes. */
class PrunableSetTest {
    private static final ModelSpec CNN = new ModelSpec("tiny-cnn", Shape.of(1, 8, 8), List.of(
            new LayerSpec.Conv2d("conv1", 4, 3, 1, 1, true),
            new LayerSpec.Pool2d("pool1", PoolKind.MAX, 2, 2),
            new LayerSpec.Flatten("flatten"),
            new LayerSpec.Dense("fc1", 16, true),
            new LayerSpec.Dense("fc2", 2, true)));

    @Test
    void neuronsArePrunedInDenseLayersOnlyAndNeverInTheOutputLayer() {
        PrunableSet set = PrunableSet.of(CNN, List.of(), List.of(), new Structure.Groups(Structure.Unit.NEURONS));

        assertThat(set.parameters()).extracting(ParameterSpec::name).containsExactly("fc1.weight");
    }

    @Test
    void unstructuredPruningKeepsEveryWeight() {
        PrunableSet set = PrunableSet.of(CNN, List.of(), List.of(), new Structure.Unstructured());

        assertThat(set.parameters()).extracting(ParameterSpec::name)
                .containsExactly("conv1.weight", "fc1.weight", "fc2.weight");
    }

    @Test
    void aNeuronOverrideOfAConvIsRefused() {
        assertThatThrownBy(() -> PrunableSet.of(CNN, List.of(), List.of(new LayerOverride("conv1", 0.5)),
                new Structure.Groups(Structure.Unit.NEURONS)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'conv1'")
                .hasMessageContaining("dense layers only (fc1, fc2)");
    }

    private static final ModelSpec LM = new ModelSpec("tiny-lm", Shape.of(4), List.of(
            new LayerSpec.Embedding("emb", 5, 8), new LayerSpec.TransformerBlock("block1", 2, 2, 0),
            new LayerSpec.TransformerBlock("block2", 2, 2, 0), new LayerSpec.Dense("head", 5, false)));

    @Test
    void headsArePrunedInTheProjectionsOfAttentionLayersOnly() {
        PrunableSet set = PrunableSet.of(LM, List.of("block2.attn"), List.of(),
                new Structure.Groups(Structure.Unit.HEADS));

        assertThat(set.parameters()).extracting(ParameterSpec::name)
                .containsExactly("block1.attn.qkv.weight", "block1.attn.proj.weight");
    }

    @Test
    void headsNeedAnAttentionLayerAndOverridesOfOne() {
        assertThatThrownBy(() -> PrunableSet.of(CNN, List.of(), List.of(), new Structure.Groups(Structure.Unit.HEADS)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'tiny-cnn' has none");
        assertThatThrownBy(() -> PrunableSet.of(LM, List.of(), List.of(new LayerOverride("block1.fc", 0.5)),
                new Structure.Groups(Structure.Unit.HEADS)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'block1.fc'")
                .hasMessageContaining("attention layers only (block1.attn, block2.attn)");
    }

    @Test
    void headTargetsThatRemoveEveryHeadOfALayerAreRefusedBeforeAnyWork() {
        PrunableSet set = PrunableSet.of(LM, List.of(), List.of(), new Structure.Groups(Structure.Unit.HEADS));
        set.checkTargets(List.of(0.5, 0.7), Scope.LAYERWISE); // 0.7 × 2 rounds to 1 of 2 heads
        assertThatThrownBy(() -> set.checkTargets(List.of(0.5, 0.75), Scope.LAYERWISE))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'block1.attn'")
                .hasMessageContaining("removes all of them");
        set.checkTargets(List.of(0.6), Scope.GLOBAL); // 0.6 × 4 rounds to 2, one head left in each layer at worst
        assertThatThrownBy(() -> set.checkTargets(List.of(0.7), Scope.GLOBAL))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("at least one");
        PrunableSet own = PrunableSet.of(LM, List.of(), List.of(new LayerOverride("block2.attn", 0.9)),
                new Structure.Groups(Structure.Unit.HEADS));
        assertThatThrownBy(() -> own.checkTargets(List.of(0.5), Scope.LAYERWISE))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'block2.attn'");
    }

    @Test
    void mlpUnitsArePrunedInTheTwoDenseLayersOfEachBlock() {
        PrunableSet set = PrunableSet.of(LM, List.of("block2.fc"), List.of(new LayerOverride("block1.fc", 0.5)),
                new Structure.Groups(Structure.Unit.MLP));

        assertThat(set.parameters()).extracting(ParameterSpec::name)
                .containsExactly("block1.fc.weight", "block1.proj.weight");
        assertThat(set.layers()).containsExactly("block1.fc");
        assertThat(set.groupsOf("block1.fc")).hasSize(2 * 8);
        assertThatThrownBy(() -> PrunableSet.of(LM, List.of(), List.of(new LayerOverride("block1.attn", 0.5)),
                new Structure.Groups(Structure.Unit.MLP)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'block1.attn'")
                .hasMessageContaining("only (block1.fc, block2.fc)");
    }

    @Test
    void blocksArePrunedWholeOverTheModelAndNamedToBeKept() {
        PrunableSet set = PrunableSet.of(LM, List.of(), List.of(), new Structure.Groups(Structure.Unit.BLOCKS));
        assertThat(set.layers()).containsExactly("block1", "block2");
        assertThat(set.parameters()).extracting(ParameterSpec::name).containsExactly("block1.attn.qkv.weight",
                "block1.attn.proj.weight", "block1.fc.weight", "block1.proj.weight", "block2.attn.qkv.weight",
                "block2.attn.proj.weight", "block2.fc.weight", "block2.proj.weight");
        set.checkTargets(List.of(0.5), Scope.LAYERWISE); // one of two blocks
        assertThatThrownBy(() -> set.checkTargets(List.of(0.75), Scope.LAYERWISE))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("the model must keep at least one");

        PrunableSet kept = PrunableSet.of(LM, List.of("block1"), List.of(),
                new Structure.Groups(Structure.Unit.BLOCKS));
        assertThat(kept.layers()).containsExactly("block2");
        assertThatThrownBy(() -> PrunableSet.of(LM, List.of(), List.of(new LayerOverride("block1", 0.5)),
                new Structure.Groups(Structure.Unit.BLOCKS)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("over the whole model");
        assertThatThrownBy(() -> PrunableSet.of(CNN, List.of(), List.of(), new Structure.Groups(Structure.Unit.BLOCKS)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'tiny-cnn' has none");
    }
}
