package dev.bonsai.api.distill;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.Plugin;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.Network;
import java.util.List;
import java.util.Optional;

/**
 * What the student learns from the teacher: the loss terms of its training, for example Hinton et al.'s
 * {@code α·T²·KL(teacher/T ‖ student/T) + (1-α)·CE}.
 *
 * <p>A host trains a student with a recipe in this order: {@link #trainingData} gives the student's training
 * data (the training split, unless the recipe has the teacher write data), then each of {@link #stages} runs, then
 * the main training on {@link #lossTerms}. Fine-tuning after pruning uses {@link #lossTerms} with the same teacher
 * and data. Engines compute every term; a recipe needs no engine code.
 *
 * @param <O> the options record
 */
@Experimental("distillation recipes are new; the interface may gain hooks as recipes need them")
public interface DistillationRecipe<O extends Record> extends Plugin<O> {

    /** The student's loss terms with these options: its main training and its fine-tuning after pruning. */
    List<LossTerm> lossTerms(O options);

    /**
     * Whether the recipe needs a teacher. By default: whenever a loss term other than cross-entropy appears in the
     * main loss or a stage. A recipe that uses the teacher only in {@link #trainingData} overrides this.
     */
    default boolean needsTeacher(O options) {
        boolean main = lossTerms(options).stream().anyMatch(t -> !(t instanceof LossTerm.CrossEntropy));
        boolean staged = stages(options).stream().flatMap(s -> s.loss().stream())
                .anyMatch(t -> !(t instanceof LossTerm.CrossEntropy));
        return main || staged;
    }

    /** Training stages before the main training, in order (FitNets' hint stage); none by default. */
    default List<TrainingStage> stages(O options) {
        return List.of();
    }

    /**
     * The student's training data, given the trained teacher: by default {@code train} itself. A recipe may
     * return data the teacher writes instead or in addition (sequence-level distillation: text the teacher
     * samples, or the teacher's labels on the training inputs). The host calls it once per student and seed,
     * before any training, and uses the result for every stage, the main training and the fine-tuning after
     * pruning; evaluation stays on the dataset's own validation and test splits.
     *
     * @param options the recipe's options
     * @param train   the dataset's training split
     * @param teacher the trained teacher, in evaluation mode (never trained here); absent when
     *                {@link #needsTeacher} is false
     * @param seed    the student's seed, for any sampling the recipe does
     * @return the split to train the student on; it must have {@code train}'s sample shape and labels per sample
     */
    default Split trainingData(O options, Split train, Optional<Network> teacher, long seed) {
        return train;
    }
}
