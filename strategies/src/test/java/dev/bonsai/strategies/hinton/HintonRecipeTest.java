package dev.bonsai.strategies.hinton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.testkit.recipe.DistillationRecipeContract;
import org.junit.jupiter.api.Test;

/** The recipe contract for {@code hinton}, and its loss. */
class HintonRecipeTest extends DistillationRecipeContract<HintonOptions> {

    @Override
    protected DistillationRecipe<HintonOptions> recipe() {
        return new HintonRecipe();
    }

    @Test
    void weighsSoftTargetsByAlphaAndHardLabelsByTheRest() {
        assertThat(new HintonRecipe().lossTerms(new HintonOptions(20, 0.9)))
                .containsExactly(new LossTerm.SoftTargetKl(0.9, 20), new LossTerm.CrossEntropy(1 - 0.9));
    }

    @Test
    void leavesOutATermOfWeightZero() {
        assertThat(new HintonRecipe().lossTerms(new HintonOptions(3, 1)))
                .containsExactly(new LossTerm.SoftTargetKl(1, 3));
        assertThat(new HintonRecipe().lossTerms(new HintonOptions(3, 0))).containsExactly(new LossTerm.CrossEntropy(1));
    }

    @Test
    void needsATeacherOnlyWithSoftTargets() {
        assertThat(new HintonRecipe().needsTeacher(new HintonOptions(3, 0.5))).isTrue();
        assertThat(new HintonRecipe().needsTeacher(new HintonOptions(3, 0))).isFalse();
    }
}
