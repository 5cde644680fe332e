package dev.bonsai.api.distill;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.Plugin;
import dev.bonsai.api.engine.LossTerm;
import java.util.List;

/**
 * What the student learns from the teacher: the loss terms of its training, for example Hinton et al.'s
 * {@code α·T²·KL(teacher/T ‖ student/T) + (1-α)·CE}.
 *
 * @param <O> the options record
 */
@Experimental("distillation is not implemented yet; the recipe interface may change when it is")
public interface DistillationRecipe<O extends Record> extends Plugin<O> {

    /** The student's loss terms with these options. */
    List<LossTerm> lossTerms(O options);
}
