package dev.bonsai.strategies.magnitude;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.strategies.scoring.Scoring;
import java.util.Set;

/**
 * Magnitude pruning ({@code magnitude}): the score of a weight is its absolute value |w|.
 *
 * <p>S. Han, J. Pool, J. Tran and W. J. Dally, "Learning both Weights and Connections for Efficient Neural
 * Networks", NeurIPS 2015; with global selection and iterative schedules it is also the pruning of
 * J. Frankle and M. Carbin, "The Lottery Ticket Hypothesis", ICLR 2019, and the strong baseline of
 * T. Gale, E. Elsen and S. Hooker, "The State of Sparsity in Deep Neural Networks", 2019.
 *
 * <p>It needs only the weights, scored one parameter at a time by the shared {@link Scoring#each} loop, as every
 * strategy whose score is a rule per parameter does. Already-pruned weights are zero and so score 0; the selector
 * keeps them pruned regardless of their score.
 */
public final class MagnitudeStrategy implements PruningStrategy<NoOptions> {

    /** Creates the strategy; it is stateless. */
    public MagnitudeStrategy() {
    }

    @Override
    public String id() {
        return "magnitude";
    }

    @Override
    public String description() {
        return "Magnitude pruning: score |w|, smallest weights pruned first (Han et al. 2015)";
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
        return Scoring.each(context, (parameter, weights) -> {
            float[] s = new float[weights.length];
            for (int i = 0; i < weights.length; i++) {
                s[i] = Math.abs(weights[i]);
            }
            return s;
        });
    }
}
