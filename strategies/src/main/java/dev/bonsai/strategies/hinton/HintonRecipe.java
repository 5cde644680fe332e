package dev.bonsai.strategies.hinton;

import dev.bonsai.api.Spi;
import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.engine.LossTerm;
import java.util.ArrayList;
import java.util.List;

/**
 * Soft-target distillation ({@code hinton}): the student learns the teacher's softened class probabilities,
 * {@code α·T²·KL(softmax(t/T) ‖ softmax(s/T)) + (1 - α)·CE(s, y)}. The T² factor keeps the soft-target gradients
 * (which shrink as 1/T²) the same size as the hard-label ones when T changes, as the paper prescribes.
 *
 * <p>G. Hinton, O. Vinyals and J. Dean, "Distilling the Knowledge in a Neural Network", NeurIPS Deep Learning
 * Workshop, 2015 (arXiv:1503.02531).
 */
public final class HintonRecipe implements DistillationRecipe<HintonOptions> {

    /** Creates the recipe; it is stateless. */
    public HintonRecipe() {
    }

    @Override
    public String id() {
        return "hinton";
    }

    @Override
    public String description() {
        return "Soft targets: α·T²·KL(teacher/T ‖ student/T) + (1-α)·cross-entropy (Hinton, Vinyals & Dean 2015)";
    }

    @Override
    public Class<HintonOptions> optionsType() {
        return HintonOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public List<LossTerm> lossTerms(HintonOptions options) {
        return softTargets(options.temperature(), options.alpha());
    }

    /** {@code α·T²·KL + (1 - α)·CE}, leaving out a term of weight 0. */
    public static List<LossTerm> softTargets(double temperature, double alpha) {
        List<LossTerm> terms = new ArrayList<>();
        if (alpha > 0) {
            terms.add(new LossTerm.SoftTargetKl(alpha, temperature));
        }
        if (alpha < 1) {
            terms.add(new LossTerm.CrossEntropy(1 - alpha));
        }
        return List.copyOf(terms);
    }
}
