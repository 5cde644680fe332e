package dev.bonsai.strategies.fitnets;

import dev.bonsai.api.Spi;
import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.distill.TrainingStage;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.strategies.hinton.HintonRecipe;
import java.util.List;

/**
 * Hints for thin deep nets ({@code fitnets}), in two stages. Stage 1 ({@code hint_epochs}): the student's layers
 * up to the guided layer learn to predict the teacher's hint layer output through a learned linear regressor,
 * {@code mean((W·g + b - h)²)}; the layers after the guided one do not change. Stage 2: the whole student trains
 * with soft targets, {@code α·T²·KL + (1 - α)·CE}, as in {@code hinton}. The regressor belongs to the loss, not to
 * the student, and is never part of its weights. Fine-tuning after pruning uses stage 2's loss.
 *
 * <p>A. Romero, N. Ballas, S. E. Kahou, A. Chassang, C. Gatta and Y. Bengio, "FitNets: Hints for Thin Deep Nets",
 * ICLR 2015 (arXiv:1412.6550).
 */
public final class FitNetsRecipe implements DistillationRecipe<FitNetsOptions> {

    /** Creates the recipe; it is stateless. */
    public FitNetsRecipe() {
    }

    @Override
    public String id() {
        return "fitnets";
    }

    @Override
    public String description() {
        return "Hints: stage 1 regresses the teacher's hint layer from the student's guided layer, stage 2 soft"
                + " targets (Romero et al. 2015)";
    }

    @Override
    public Class<FitNetsOptions> optionsType() {
        return FitNetsOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public List<LossTerm> lossTerms(FitNetsOptions options) {
        return HintonRecipe.softTargets(options.temperature(), options.alpha());
    }

    @Override
    public List<TrainingStage> stages(FitNetsOptions options) {
        if (options.hintEpochs() == 0) {
            return List.of();
        }
        return List.of(new TrainingStage("hint", options.hintEpochs(),
                List.of(new LossTerm.HintMse(1, options.hintLayer(), options.guidedLayer()))));
    }
}
