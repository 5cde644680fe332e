package dev.bonsai.strategies.wanda;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.strategies.scoring.Scoring;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Wanda ({@code wanda}): the score of weight W_ij (output i, input j) is |W_ij| · ‖X_j‖₂, with ‖X_j‖₂ the L2 norm
 * of input feature j over the calibration batches.
 *
 * <p>M. Sun, Z. Liu, A. Bair and J. Z. Kolter, "A Simple and Effective Pruning Approach for Large Language Models",
 * ICLR 2024. As in the paper, the scores compete within each output row by default ({@link Scope#ROW}: every row
 * loses round(s · inputs) of its weights, the lower index first among ties), whatever the descriptor's scope; with
 * {@code comparison: scope} they compete under the descriptor's scope instead. N:M selection is per row either
 * way. Dense weights only; convolution kernels are refused.
 */
public final class WandaStrategy implements PruningStrategy<WandaOptions> {

    /** Creates the strategy; it is stateless. */
    public WandaStrategy() {
    }

    @Override
    public String id() {
        return "wanda";
    }

    @Override
    public String description() {
        return "Wanda: |W|·‖X‖₂ from calibration inputs of each layer (Sun et al. 2024)";
    }

    @Override
    public Class<WandaOptions> optionsType() {
        return WandaOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public Set<Requirement> requirements(WandaOptions options) {
        return Set.of(Requirement.WEIGHTS, Requirement.CALIBRATION_DATA, Requirement.LAYER_INPUT_STATISTICS);
    }

    @Override
    public Optional<Scope> scope(WandaOptions options) {
        return options.comparison() == WandaComparison.ROW ? Optional.of(Scope.ROW) : Optional.empty();
    }

    @Override
    public Scores score(WandaOptions options, PruningContext context) {
        if (context.calibration().isEmpty()) {
            throw new BonsaiException("strategy 'wanda' needs calibration batches, and none were given");
        }
        Map<String, Tensor> squares = context.capability(LayerInputProbe.class).inputSquareSums(context.calibration());
        return Scoring.each(context, (p, w) -> {
            if (p.shape().rank() != 2) {
                throw new BonsaiException("wanda scores dense weights only; '" + p.name() + "' has shape " + p.shape());
            }
            Tensor sq = squares.get(p.name());
            if (sq == null) {
                throw new BonsaiException("no input statistics for '" + p.name() + "'");
            }
            int in = p.shape().dim(1);
            float[] s = new float[w.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) (Math.abs(w[i]) * Math.sqrt(sq.data()[i % in]));
            }
            return s;
        });
    }
}
