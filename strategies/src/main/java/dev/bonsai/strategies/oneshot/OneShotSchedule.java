package dev.bonsai.strategies.oneshot;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.prune.PruningSchedule;
import dev.bonsai.api.prune.PruningStep;
import java.util.List;

/**
 * One-shot pruning ({@code one-shot}): a single {@link PruningStep} straight to the target sparsity, followed by
 * the descriptor's fine-tuning epochs.
 *
 * <p>The simplest schedule of S. Han, J. Pool, J. Tran and W. J. Dally, "Learning both Weights and Connections
 * for Efficient Neural Networks", NeurIPS 2015 (prune once, retrain), and the setting of single-shot criteria
 * such as N. Lee, T. Ajanthan and P. Torr, "SNIP: Single-shot Network Pruning based on Connection Sensitivity",
 * ICLR 2019.
 */
public final class OneShotSchedule implements PruningSchedule<NoOptions> {

    /** Creates the schedule; it is stateless. */
    public OneShotSchedule() {
    }

    @Override
    public String id() {
        return "one-shot";
    }

    @Override
    public String description() {
        return "One-shot: prune to the target sparsity in a single step, then fine-tune";
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
    public List<PruningStep> steps(double target, int finetuneEpochs, NoOptions options) {
        if (!(target >= 0 && target < 1)) {
            throw new BonsaiException("one-shot schedule: the target sparsity must be in [0, 1), got " + target);
        }
        if (finetuneEpochs < 0) {
            throw new BonsaiException("one-shot schedule: fine-tuning epochs must be ≥ 0, got " + finetuneEpochs);
        }
        return List.of(new PruningStep(target, finetuneEpochs));
    }
}
