package dev.bonsai.strategies.random;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random pruning ({@code random}): every weight gets an independent score drawn uniformly from [0, 1).
 *
 * <p>The baseline a pruning criterion has to beat: D. Blalock, J. J. Gonzalez Ortiz, J. Frankle and J. Guttag,
 * "What is the State of Neural Network Pruning?", MLSys 2020, ask every paper to report it, and S. Liu et al.,
 * "The Unreasonable Effectiveness of Random Pruning", ICLR 2022, show how strong it can be at moderate sparsity.
 *
 * <p>Scores come from {@link PruningContext#random()}, drawn in the order of {@link PruningContext#prunable()}
 * and, within a parameter, in element order, so the same trial seed and round give the same scores on every
 * engine and machine. Because the scores are i.i.d. across parameters, global selection removes a uniformly
 * random subset of all prunable weights, and layerwise selection a uniformly random subset of each.
 */
public final class RandomStrategy implements PruningStrategy<NoOptions> {

    /** Creates the strategy; it is stateless. */
    public RandomStrategy() {
    }

    @Override
    public String id() {
        return "random";
    }

    @Override
    public String description() {
        return "Random pruning: uniform random scores from the trial's seed (the baseline; Blalock et al. 2020)";
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
    public Set<Requirement> requirements(NoOptions options) {
        return Set.of(Requirement.WEIGHTS);
    }

    @Override
    public Scores score(NoOptions options, PruningContext context) {
        SplittableRandom random = context.random();
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ParameterSpec p : context.prunable()) {
            float[] s = new float[Math.toIntExact(p.size())];
            for (int i = 0; i < s.length; i++) {
                s[i] = random.nextFloat();
            }
            out.put(p.name(), s);
        }
        return new Scores(out);
    }
}
