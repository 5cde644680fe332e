package dev.bonsai.strategies.hardlabels;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.engine.LossTerm;
import java.util.List;

/**
 * No distillation ({@code none}): cross-entropy on the hard labels, without a teacher. Listed next to real recipes
 * in a descriptor ({@code recipes: [none, hinton]}) it trains the baseline student that the distilled ones are
 * compared with, under the same seeds, data order and pruning.
 */
public final class HardLabelsRecipe implements DistillationRecipe<NoOptions> {

    /** Creates the recipe; it is stateless. */
    public HardLabelsRecipe() {
    }

    @Override
    public String id() {
        return "none";
    }

    @Override
    public String description() {
        return "No distillation: cross-entropy on the hard labels, the baseline distilled students are compared with";
    }

    @Override
    public Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public List<LossTerm> lossTerms(NoOptions options) {
        return List.of(new LossTerm.CrossEntropy(1));
    }
}
