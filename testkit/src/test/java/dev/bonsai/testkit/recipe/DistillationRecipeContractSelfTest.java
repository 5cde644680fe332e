package dev.bonsai.testkit.recipe;

import dev.bonsai.api.Spi;
import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract passes a well-formed recipe and fails a recipe with a negative weight. */
class DistillationRecipeContractSelfTest {

    /**
     * Options of the test recipe.
     *
     * @param temperature T
     * @param alpha       soft-target weight
     */
    record Options(@Doc("T") @DefaultValue("4") double temperature, @Doc("α") @DefaultValue("0.9") double alpha) {
    }

    /** Hinton et al.'s loss, as a recipe plugin would write it. */
    static class Soft implements DistillationRecipe<Options> {
        @Override
        public String id() {
            return "soft";
        }

        @Override
        public String description() {
            return "soft targets";
        }

        @Override
        public Class<Options> optionsType() {
            return Options.class;
        }

        @Override
        public int spiVersion() {
            return Spi.VERSION;
        }

        @Override
        public List<LossTerm> lossTerms(Options o) {
            return List.of(new LossTerm.SoftTargetKl(o.alpha(), o.temperature()), new LossTerm.CrossEntropy(1 - o.alpha()));
        }
    }

    /** A recipe whose hard-label weight goes negative. */
    static class Broken extends Soft {
        @Override
        public List<LossTerm> lossTerms(Options o) {
            return List.of(new LossTerm.CrossEntropy(-1));
        }
    }

    /** The contract applied to {@link Soft}. */
    static class SoftContract extends DistillationRecipeContract<Options> {
        @Override
        protected DistillationRecipe<Options> recipe() {
            return new Soft();
        }
    }

    /** The contract applied to {@link Broken}. */
    static class BrokenContract extends DistillationRecipeContract<Options> {
        @Override
        protected DistillationRecipe<Options> recipe() {
            return new Broken();
        }
    }

    @Test
    void passesAGoodRecipeAndFailsABrokenOne() {
        SoftContract good = new SoftContract();
        good.identifiesItself();
        good.documentsEveryOption();
        good.givesAWellFormedLoss();
        good.isAPureFunctionOfItsOptions();
        org.assertj.core.api.Assertions.assertThatThrownBy(new BrokenContract()::givesAWellFormedLoss)
                .isInstanceOf(AssertionError.class).hasMessageContaining("weight");
    }
}
