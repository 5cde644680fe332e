package dev.bonsai.strategies.movement;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.engine.MovementProbe;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.strategies.magnitude.MagnitudeStrategy;
import dev.bonsai.strategies.scoring.Scoring;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * First-order movement pruning ({@code movement}): the score of a weight is S = −Σ<sub>t</sub> W<sub>t</sub> ⊙
 * G<sub>t</sub>, summed over the optimizer steps of the current round's fine-tuning so far (the engine accumulates
 * it, {@link MovementProbe}, and the host restarts the sum when a round's fine-tuning starts); weights that
 * fine-tuning moves away from zero are kept, those it pulls towards zero pruned, whatever their magnitude. With
 * {@code iterative} each round is scored by the previous round's fine-tuning; with {@code gradual} (one round) every
 * pruning step is scored by all the fine-tuning steps before it, as in the paper.
 *
 * <p>V. Sanh, T. Wolf and A. M. Rush, "Movement Pruning: Adaptive Sparsity by Fine-Tuning", NeurIPS 2020 (the
 * hard, first-order variant: top-k of S, eq. 5, with the cubic sparsity schedule). The paper selects the top-k per
 * weight matrix: use {@code scope: layerwise}; under {@code global} scope raw movement is compared across layers of
 * different scales, and on a small MLP it removed a whole output layer.
 *
 * <p><b>The first pruning</b> comes before any fine-tuning step: all scores are then 0 and every choice a tie, so
 * the first mask falls back to magnitude (|w|) and says so in the log. A schedule whose first pruning has a
 * warm-up (gradual with {@code start > 0}, or {@code initial: 0}, whose first step removes nothing) avoids it.
 * Fine-tuning is needed: a descriptor with {@code prune.finetune.epochs: 0} is refused.
 */
public final class MovementStrategy implements PruningStrategy<NoOptions> {
    private static final Logger LOG = LogManager.getLogger(MovementStrategy.class);
    private static final MagnitudeStrategy MAGNITUDE = new MagnitudeStrategy();

    /** Creates the strategy; it is stateless. */
    public MovementStrategy() {
    }

    @Override
    public String id() {
        return "movement";
    }

    @Override
    public String description() {
        return "Movement pruning: score −Σ W⊙∂L/∂W accumulated over fine-tuning steps (Sanh et al. 2020)";
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
        return Set.of(Requirement.WEIGHTS, Requirement.MOVEMENT_SCORES);
    }

    @Override
    public Scores score(NoOptions options, PruningContext context) {
        MovementProbe probe = context.capability(MovementProbe.class);
        if (!probe.started() || probe.steps() == 0) {
            if (context.currentMasks().prunedCount() == 0) {
                LOG.info("movement: no fine-tuning step before this first pruning, so its mask is chosen by magnitude"
                        + " |w|");
            } else {
                LOG.warn("movement: no fine-tuning step since the last pruning; this mask is chosen by magnitude |w|");
            }
            return MAGNITUDE.score(options, context);
        }
        Weights movement = probe.scores();
        return Scoring.each(context, (p, w) -> of(movement, p));
    }

    private static float[] of(Weights movement, ParameterSpec p) {
        if (!movement.contains(p.name())) {
            throw new BonsaiException("movement: the engine accumulated no scores for parameter '" + p.name()
                    + "'; it has " + movement.asMap().keySet());
        }
        return movement.get(p.name()).data().clone();
    }
}
