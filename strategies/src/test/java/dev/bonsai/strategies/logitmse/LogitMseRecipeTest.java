package dev.bonsai.strategies.logitmse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.testkit.recipe.DistillationRecipeContract;
import org.junit.jupiter.api.Test;

/** The recipe contract for {@code logit-mse}, and its loss. */
class LogitMseRecipeTest extends DistillationRecipeContract<LogitMseOptions> {

    @Override
    protected DistillationRecipe<LogitMseOptions> recipe() {
        return new LogitMseRecipe();
    }

    @Test
    void regressesLogitsWithOptionalHardLabels() {
        assertThat(new LogitMseRecipe().lossTerms(new LogitMseOptions(1))).containsExactly(new LossTerm.LogitMse(1));
        assertThat(new LogitMseRecipe().lossTerms(new LogitMseOptions(0.75)))
                .containsExactly(new LossTerm.LogitMse(0.75), new LossTerm.CrossEntropy(0.25));
    }
}
