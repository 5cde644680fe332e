package dev.bonsai.strategies.iterative;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.prune.PruningSchedule;
import dev.bonsai.api.prune.PruningStep;
import java.util.ArrayList;
import java.util.List;

/**
 * Iterative pruning ({@code iterative}): {@code rounds} rounds of pruning, each followed by fine-tuning, with the
 * kept fraction shrinking geometrically.
 *
 * <p>Round k (1 ≤ k ≤ R) prunes to sparsity s<sub>k</sub> = 1 − (1 − target)<sup>k/R</sup>, so every round
 * removes the same fraction 1 − (1 − target)<sup>1/R</sup> of the weights still present, and the last round's
 * sparsity is exactly the target. This is the schedule of iterative magnitude pruning in S. Han, J. Pool,
 * J. Tran and W. J. Dally, "Learning both Weights and Connections for Efficient Neural Networks", NeurIPS 2015,
 * and of J. Frankle and M. Carbin, "The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural Networks",
 * ICLR 2019 (which prunes p% of the remaining weights per round).
 */
public final class IterativeSchedule implements PruningSchedule<IterativeOptions> {

    /** Creates the schedule; it is stateless. */
    public IterativeSchedule() {
    }

    @Override
    public String id() {
        return "iterative";
    }

    @Override
    public String description() {
        return "Iterative: prune in rounds with a geometrically shrinking kept fraction, fine-tuning after each";
    }

    @Override
    public Class<IterativeOptions> optionsType() {
        return IterativeOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public List<PruningStep> steps(double target, int finetuneEpochs, IterativeOptions options) {
        if (!(target >= 0 && target < 1)) {
            throw new BonsaiException("iterative schedule: the target sparsity must be in [0, 1), got " + target);
        }
        if (finetuneEpochs < 0) {
            throw new BonsaiException("iterative schedule: fine-tuning epochs must be ≥ 0, got " + finetuneEpochs);
        }
        int rounds = options.rounds();
        double kept = 1 - target;
        List<PruningStep> steps = new ArrayList<>(rounds);
        for (int k = 1; k < rounds; k++) {
            double sparsity = 1 - Math.pow(kept, (double) k / rounds);
            steps.add(new PruningStep(Math.min(sparsity, target), finetuneEpochs));
        }
        steps.add(new PruningStep(target, finetuneEpochs));
        return List.copyOf(steps);
    }
}
