package dev.bonsai.strategies.lottery;

import dev.bonsai.api.Spi;
import dev.bonsai.api.prune.PruningSchedule;
import dev.bonsai.api.prune.PruningStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Lottery-ticket rewinding ({@code lottery-ticket}, which descriptors may also call {@code lottery}): n rounds,
 * each pruning the same fraction of the remaining weights (kept fraction (1 − s_f)^(k/n) after round k), then resetting the weights that remain to their initial values and
 * retraining them for the descriptor's fine-tuning epochs (set them to the training epochs to follow the paper).
 *
 * <p>J. Frankle and M. Carbin, "The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural Networks",
 * ICLR 2019. Rewinding goes to initialisation (iteration 0); the later rewinding of Frankle et al. 2020 needs
 * snapshots during training and is not offered yet.
 */
public final class LotterySchedule implements PruningSchedule<LotteryOptions> {

    /** Creates the schedule; it is stateless. */
    public LotterySchedule() {
    }

    @Override
    public String id() {
        return "lottery-ticket";
    }

    /** {@code lottery}, the shorter name that descriptors may use too. */
    @Override
    public Set<String> aliases() {
        return Set.of("lottery");
    }

    @Override
    public String description() {
        return "Lottery ticket: iterative pruning with rewinding to the initial weights and retraining (Frankle & Carbin 2019)";
    }

    @Override
    public Class<LotteryOptions> optionsType() {
        return LotteryOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public List<PruningStep> steps(double target, int finetuneEpochs, LotteryOptions options) {
        int n = options.rounds();
        List<PruningStep> steps = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            double s = k == n ? target : 1 - Math.pow(1 - target, (double) k / n);
            steps.add(new PruningStep(s, finetuneEpochs, true));
        }
        return steps;
    }
}
