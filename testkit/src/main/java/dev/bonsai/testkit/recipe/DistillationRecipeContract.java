package dev.bonsai.testkit.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.Spi;
import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.options.Doc;
import dev.bonsai.testkit.DefaultOptions;
import java.lang.reflect.RecordComponent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every distillation recipe must do; a recipe's test extends this class and names the recipe (and, when an
 * option has no default, the options to use).
 *
 * @param <O> the recipe's options record
 */
public abstract class DistillationRecipeContract<O extends Record> {

    /** For subclasses. */
    protected DistillationRecipeContract() {
    }

    /** The recipe under test. */
    protected abstract DistillationRecipe<O> recipe();

    /** The options to test with; by default every component at its {@code @DefaultValue}. */
    protected O options() {
        return DefaultOptions.defaults(recipe().optionsType());
    }

    /** Catches an id that is not kebab-case, a missing description, and a plugin built for another SPI. */
    @Test
    void identifiesItself() {
        assertThat(recipe().id()).matches("[a-z0-9]+(-[a-z0-9]+)*");
        assertThat(recipe().description()).isNotBlank().doesNotContain("\n");
        assertThat(recipe().spiVersion()).isEqualTo(Spi.VERSION);
    }

    /** Catches options a user cannot discover: every option is documented. */
    @Test
    void documentsEveryOption() {
        for (RecordComponent c : recipe().optionsType().getRecordComponents()) {
            assertThat(c.getAnnotation(Doc.class)).as("@Doc on option '%s'", c.getName()).isNotNull();
        }
    }

    /** Catches an empty loss, negative or non-finite weights, non-positive temperatures and blank layer names. */
    @Test
    void givesAWellFormedLoss() {
        List<LossTerm> terms = recipe().lossTerms(options());
        assertThat(terms).isNotEmpty();
        for (LossTerm term : terms) {
            assertThat(Double.isFinite(term.weight()) && term.weight() >= 0).as("weight of %s", term).isTrue();
            if (term instanceof LossTerm.SoftTargetKl kl) {
                assertThat(kl.temperature()).as("temperature of %s", term).isPositive();
            }
            if (term instanceof LossTerm.HintMse hint) {
                assertThat(hint.teacherLayer()).isNotBlank();
                assertThat(hint.studentLayer()).isNotBlank();
            }
        }
        assertThat(terms.stream().mapToDouble(LossTerm::weight).sum()).as("total weight").isPositive();
    }

    /** Catches a recipe whose loss depends on hidden state: the same options give the same terms. */
    @Test
    void isAPureFunctionOfItsOptions() {
        assertThat(recipe().lossTerms(options())).isEqualTo(recipe().lossTerms(options()));
    }
}
