package dev.bonsai.strategies.agp;

import dev.bonsai.api.Spi;
import dev.bonsai.api.prune.PruningSchedule;
import dev.bonsai.api.prune.PruningStep;
import java.util.ArrayList;
import java.util.List;

/**
 * Automated gradual pruning ({@code agp}): round t of n reaches s_t = s_f·(1 − (1 − t/n)³), pruning fast at first
 * and slowly near the target, with fine-tuning after each round.
 *
 * <p>M. Zhu and S. Gupta, "To prune, or not to prune: exploring the efficacy of pruning for model compression",
 * ICLR Workshop 2018. The paper prunes every Δt optimizer steps inside one run, which is the {@code gradual}
 * schedule; here each round is a pruning step followed by the descriptor's fine-tuning epochs as a separate training
 * call (fresh optimizer state and learning-rate schedule each round), which suits strategies that score between
 * trainings at whole-epoch granularity.
 */
public final class AgpSchedule implements PruningSchedule<AgpOptions> {

    /** Creates the schedule; it is stateless. */
    public AgpSchedule() {
    }

    @Override
    public String id() {
        return "agp";
    }

    @Override
    public String description() {
        return "Gradual pruning: cubic sparsity ramp s_f·(1 − (1 − t/n)³) over n rounds (Zhu & Gupta 2018)";
    }

    @Override
    public Class<AgpOptions> optionsType() {
        return AgpOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public List<PruningStep> steps(double target, int finetuneEpochs, AgpOptions options) {
        int n = options.rounds();
        List<PruningStep> steps = new ArrayList<>();
        for (int t = 1; t <= n; t++) {
            double remaining = 1 - (double) t / n;
            double s = t == n ? target : target * (1 - remaining * remaining * remaining);
            steps.add(new PruningStep(s, finetuneEpochs));
        }
        return steps;
    }
}
