package dev.bonsai.strategies.taylor;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.strategies.scoring.Scoring;
import java.util.Set;

/**
 * First-order Taylor pruning ({@code taylor}): the score of a weight is |w · ḡ|, with ḡ the gradient of the
 * training loss averaged over the calibration batches — the first-order estimate of the change in loss when the
 * weight is set to zero.
 *
 * <p>P. Molchanov, S. Tyree, T. Karras, T. Aila and J. Kautz, "Pruning Convolutional Neural Networks for Resource
 * Efficient Inference", ICLR 2017 (applied per weight here, as in P. Molchanov, A. Mallya, S. Tyree, I. Frosio and
 * J. Kautz, "Importance Estimation for Neural Network Pruning", CVPR 2019).
 */
public final class TaylorStrategy implements PruningStrategy<NoOptions> {

    /** Creates the strategy; it is stateless. */
    public TaylorStrategy() {
    }

    @Override
    public String id() {
        return "taylor";
    }

    @Override
    public String description() {
        return "First-order Taylor: |w·g| with g the mean loss gradient over calibration batches (Molchanov et al. 2017)";
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
        return Set.of(Requirement.WEIGHTS, Requirement.CALIBRATION_DATA, Requirement.GRADIENTS);
    }

    @Override
    public Scores score(NoOptions options, PruningContext context) {
        Weights g = Scoring.meanGradient(context, id());
        return Scoring.each(context, (p, w) -> {
            float[] grad = g.get(p.name()).data();
            float[] s = new float[w.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = Math.abs(w[i] * grad[i]);
            }
            return s;
        });
    }
}
