package dev.bonsai.experiments.run;

import dev.bonsai.api.data.Split;
import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.distill.TrainingStage;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.Network;
import dev.bonsai.experiments.plugins.PluginRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Calls distillation recipes through resolved {@link PluginRef}s (whose options the descriptor reader bound to the
 * recipe's own type, so the unchecked casts cannot fail).
 */
public final class Recipes {
    private Recipes() {
    }

    /** Whether the recipe needs a teacher. */
    @SuppressWarnings("unchecked")
    public static <O extends Record> boolean needsTeacher(PluginRef ref) {
        return ((DistillationRecipe<O>) ref.plugin()).needsTeacher((O) ref.options());
    }

    /** The recipe's main loss. */
    @SuppressWarnings("unchecked")
    static <O extends Record> List<LossTerm> lossTerms(PluginRef ref) {
        return ((DistillationRecipe<O>) ref.plugin()).lossTerms((O) ref.options());
    }

    /** The recipe's stages before the main training. */
    @SuppressWarnings("unchecked")
    static <O extends Record> List<TrainingStage> stages(PluginRef ref) {
        return ((DistillationRecipe<O>) ref.plugin()).stages((O) ref.options());
    }

    /** The student's training data for this recipe. */
    @SuppressWarnings("unchecked")
    static <O extends Record> Split trainingData(PluginRef ref, Split train, Optional<Network> teacher, long seed) {
        return ((DistillationRecipe<O>) ref.plugin()).trainingData((O) ref.options(), train, teacher, seed);
    }

    /** Every hint term of the recipe, its stages' included. */
    static List<LossTerm.HintMse> hints(PluginRef ref) {
        List<LossTerm> all = new ArrayList<>(lossTerms(ref));
        stages(ref).forEach(s -> all.addAll(s.loss()));
        return all.stream().filter(t -> t instanceof LossTerm.HintMse).map(t -> (LossTerm.HintMse) t).toList();
    }
}
