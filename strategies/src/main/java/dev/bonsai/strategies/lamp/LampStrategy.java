package dev.bonsai.strategies.lamp;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.strategies.scoring.Scoring;
import java.util.Set;

/**
 * LAMP ({@code lamp}): the score of weight u of a layer is w_u² / Σ_{v ≥ u} w_v², the sum running over the
 * layer's weights that are at least as large as u (in the order of increasing magnitude, ties by index). Scores
 * are comparable across layers, so global selection with LAMP picks per-layer sparsities automatically.
 *
 * <p>J. Lee, S. Park, S. Mo, S. Ahn and J. Shin, "Layer-adaptive Sparsity for the Magnitude-based Pruning",
 * ICLR 2021. The largest weight of every layer scores 1, so no layer is ever pruned away entirely.
 */
public final class LampStrategy implements PruningStrategy<NoOptions> {

    /** Creates the strategy; it is stateless. */
    public LampStrategy() {
    }

    @Override
    public String id() {
        return "lamp";
    }

    @Override
    public String description() {
        return "LAMP: magnitude scores normalised per layer, comparable across layers (Lee et al. 2021)";
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
        return Scoring.each(context, (p, w) -> lamp(w));
    }

    /** The LAMP scores of one layer's weights. */
    static float[] lamp(float[] w) {
        int n = w.length;
        // sort by (w², index): the bits of a non-negative float order like the float, so one long sort does it
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) Float.floatToIntBits(w[i] * w[i]) << 32) | i;
        }
        java.util.Arrays.sort(keys);
        float[] scores = new float[n];
        double tail = 0;
        for (int k = n - 1; k >= 0; k--) {
            int i = (int) keys[k];
            double sq = (double) w[i] * w[i];
            tail += sq;
            scores[i] = tail == 0 ? 0f : (float) (sq / tail);
        }
        return scores;
    }
}
