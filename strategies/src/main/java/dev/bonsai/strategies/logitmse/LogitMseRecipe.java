package dev.bonsai.strategies.logitmse;

import dev.bonsai.api.Spi;
import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.engine.LossTerm;
import java.util.ArrayList;
import java.util.List;

/**
 * Logit matching ({@code logit-mse}): the student regresses the teacher's logits,
 * {@code α·mean((s - t)²) + (1 - α)·CE(s, y)}, the high-temperature limit of soft targets.
 *
 * <p>J. Ba and R. Caruana, "Do Deep Nets Really Need to be Deep?", NeurIPS 2014.
 */
public final class LogitMseRecipe implements DistillationRecipe<LogitMseOptions> {

    /** Creates the recipe; it is stateless. */
    public LogitMseRecipe() {
    }

    @Override
    public String id() {
        return "logit-mse";
    }

    @Override
    public String description() {
        return "Logit matching: α·mean squared error to the teacher's logits + (1-α)·cross-entropy (Ba & Caruana 2014)";
    }

    @Override
    public Class<LogitMseOptions> optionsType() {
        return LogitMseOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public List<LossTerm> lossTerms(LogitMseOptions options) {
        List<LossTerm> terms = new ArrayList<>();
        if (options.alpha() > 0) {
            terms.add(new LossTerm.LogitMse(options.alpha()));
        }
        if (options.alpha() < 1) {
            terms.add(new LossTerm.CrossEntropy(1 - options.alpha()));
        }
        return List.copyOf(terms);
    }
}
