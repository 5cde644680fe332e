package dev.bonsai.strategies.hardlabels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.testkit.recipe.DistillationRecipeContract;
import org.junit.jupiter.api.Test;

/** The recipe contract for {@code none}, the hard-label baseline. */
class HardLabelsRecipeTest extends DistillationRecipeContract<NoOptions> {

    @Override
    protected DistillationRecipe<NoOptions> recipe() {
        return new HardLabelsRecipe();
    }

    @Test
    void trainsOnHardLabelsWithoutATeacher() {
        assertThat(new HardLabelsRecipe().lossTerms(new NoOptions())).containsExactly(new LossTerm.CrossEntropy(1));
        assertThat(new HardLabelsRecipe().needsTeacher(new NoOptions())).isFalse();
    }
}
