package dev.bonsai.api.engine;

import dev.bonsai.api.Experimental;

/**
 * One term of a training loss; the loss is the weighted sum of a plan's terms. Terms are declarative so that
 * every engine computes the same loss and distillation recipes need no engine code.
 */
@Experimental("new terms are added as distillation recipes need them")
public sealed interface LossTerm {

    /** The term's weight in the sum. */
    double weight();

    /**
     * Cross-entropy against the labels.
     *
     * @param weight the term's weight
     */
    record CrossEntropy(double weight) implements LossTerm {
    }

    /**
     * Hinton et al.'s soft-target loss: KL(softmax(t/T) ‖ softmax(s/T)), scaled by T² so its gradients keep
     * their size as T changes. Needs a teacher.
     *
     * @param weight      the term's weight
     * @param temperature T
     */
    record SoftTargetKl(double weight, double temperature) implements LossTerm {
    }

    /**
     * Mean squared error between student and teacher logits. Needs a teacher.
     *
     * @param weight the term's weight
     */
    record LogitMse(double weight) implements LossTerm {
    }

    /**
     * FitNets' hint loss: mean squared error between the teacher's hint layer output and a learned linear
     * regression of the student's guided layer output. Needs a teacher.
     *
     * @param weight       the term's weight
     * @param teacherLayer the hint layer's name in the teacher
     * @param studentLayer the guided layer's name in the student
     */
    record HintMse(double weight, String teacherLayer, String studentLayer) implements LossTerm {
    }
}
