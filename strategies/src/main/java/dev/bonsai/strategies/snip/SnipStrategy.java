package dev.bonsai.strategies.snip;

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
 * SNIP ({@code snip}): connection sensitivity s_j = |g_j · w_j| / Σ_k |g_k · w_k| over all prunable weights, from
 * the mean gradient over the calibration batches.
 *
 * <p>N. Lee, T. Ajanthan and P. H. S. Torr, "SNIP: Single-shot Network Pruning based on Connection Sensitivity",
 * ICLR 2019. The paper scores the network at initialisation, before training; Bonsai scores the weights the trial
 * has when the schedule prunes (the trained dense model in the usual trial), so SNIP proper is SNIP with a
 * schedule that prunes at initialisation. The global normalisation does not change a ranking; it makes scores of
 * different trials comparable.
 */
public final class SnipStrategy implements PruningStrategy<NoOptions> {

    /** Creates the strategy; it is stateless. */
    public SnipStrategy() {
    }

    @Override
    public String id() {
        return "snip";
    }

    @Override
    public String description() {
        return "SNIP: normalised connection sensitivity |g·w| / Σ|g·w| (Lee et al. 2019)";
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
        double total = 0;
        for (var p : context.prunable()) {
            float[] w = context.weights().get(p.name()).data();
            float[] grad = g.get(p.name()).data();
            for (int i = 0; i < w.length; i++) {
                total += Math.abs((double) w[i] * grad[i]);
            }
        }
        double norm = total == 0 ? 1 : total;
        return Scoring.each(context, (p, w) -> {
            float[] grad = g.get(p.name()).data();
            float[] s = new float[w.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) (Math.abs((double) w[i] * grad[i]) / norm);
            }
            return s;
        });
    }
}
