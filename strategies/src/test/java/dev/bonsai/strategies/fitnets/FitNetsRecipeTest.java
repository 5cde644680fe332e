package dev.bonsai.strategies.fitnets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.distill.TrainingStage;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.testkit.recipe.DistillationRecipeContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recipe contract for {@code fitnets}, its two stages and its options. */
class FitNetsRecipeTest extends DistillationRecipeContract<FitNetsOptions> {

    @Override
    protected DistillationRecipe<FitNetsOptions> recipe() {
        return new FitNetsRecipe();
    }

    @Override
    protected FitNetsOptions options() {
        return new FitNetsOptions("relu1", "relu1", 2, 4, 0.9);
    }

    @Test
    void firstTrainsOnTheHintThenOnSoftTargets() {
        FitNetsOptions o = new FitNetsOptions("relu2", "relu1", 3, 8, 0.75);
        assertThat(new FitNetsRecipe().stages(o)).containsExactly(
                new TrainingStage("hint", 3, List.of(new LossTerm.HintMse(1, "relu2", "relu1"))));
        assertThat(new FitNetsRecipe().lossTerms(o))
                .containsExactly(new LossTerm.SoftTargetKl(0.75, 8), new LossTerm.CrossEntropy(0.25));
        assertThat(new FitNetsRecipe().stages(new FitNetsOptions("a", "b", 0, 8, 0.75))).isEmpty();
    }

    @Test
    void refusesBlankLayerNames() {
        assertThatThrownBy(() -> new FitNetsOptions(" ", "relu1", 1, 4, 0.9)).hasMessageContaining("hint_layer");
        assertThatThrownBy(() -> new FitNetsOptions("relu1", "", 1, 4, 0.9)).hasMessageContaining("guided_layer");
    }
}
