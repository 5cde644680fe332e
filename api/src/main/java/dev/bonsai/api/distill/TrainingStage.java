package dev.bonsai.api.distill;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.engine.LossTerm;
import java.util.List;
import java.util.Objects;

/**
 * A stage of a student's training that comes before its main distillation, for example FitNets' hint stage: the
 * student trains for {@code epochs} on {@code loss} alone, with the teacher, then goes on to the recipe's
 * {@link DistillationRecipe#lossTerms main loss}. Only the parameters that the stage's loss reaches change (an
 * engine updates a parameter only when the loss gives it a gradient), so a hint loss on a guided layer trains the
 * layers up to that layer and leaves the rest as they are.
 *
 * @param name   what logs and progress call the stage, for example {@code hint}
 * @param epochs passes over the training data
 * @param loss   the stage's loss terms
 */
@Experimental("stages arrive with the distillation recipes and may gain options")
public record TrainingStage(String name, int epochs, List<LossTerm> loss) {

    /** Checks the values. */
    public TrainingStage {
        Objects.requireNonNull(name, "name");
        if (epochs < 0) {
            throw new IllegalArgumentException("stage '" + name + "' has " + epochs + " epochs; it needs ≥ 0");
        }
        loss = List.copyOf(loss);
        if (loss.isEmpty()) {
            throw new IllegalArgumentException("stage '" + name + "' has no loss term");
        }
    }
}
