package dev.bonsai.strategies.magnitude;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Magnitude pruning ({@code magnitude}): the score of a weight is its absolute value |w|.
 *
 * <p>S. Han, J. Pool, J. Tran and W. J. Dally, "Learning both Weights and Connections for Efficient Neural
 * Networks", NeurIPS 2015; with global selection and iterative schedules it is also the pruning of
 * J. Frankle and M. Carbin, "The Lottery Ticket Hypothesis", ICLR 2019, and the strong baseline of
 * T. Gale, E. Elsen and S. Hooker, "The State of Sparsity in Deep Neural Networks", 2019.
 *
 * <p>It needs only the weights. Already-pruned weights are zero and so score 0; the selector keeps them pruned
 * regardless of their score.
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
        Weights weights = context.weights();
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ParameterSpec p : context.prunable()) {
            if (!weights.contains(p.name())) {
                throw new BonsaiException("magnitude: the weights hold no parameter '" + p.name()
                        + "' to score; they hold " + weights.asMap().keySet());
            }
            Tensor w = weights.get(p.name());
            if (w.size() != p.size()) {
                throw new BonsaiException("magnitude: parameter '" + p.name() + "' has " + w.size()
                        + " weights but its spec " + p.shape() + " needs " + p.size());
            }
            float[] data = w.data();
            float[] s = new float[data.length];
            for (int i = 0; i < data.length; i++) {
                s[i] = Math.abs(data[i]);
            }
            out.put(p.name(), s);
        }
        return new Scores(out);
    }
}
