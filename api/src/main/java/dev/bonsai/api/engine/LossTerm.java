package dev.bonsai.api.engine;

import dev.bonsai.api.Experimental;

/**
 * One term of a training loss; the loss is the weighted sum of a plan's terms. Terms are declarative so that
 * every engine computes the same loss and distillation recipes need no engine code. Each term is a mean over the
 * predictions of a batch: one per sample for a classifier, one per position for a sequence model (N in all). The
 * teacher's outputs are computed once per batch, in evaluation mode; the test kit's {@code DistillationLossContract}
 * checks every engine's terms and gradients against hand computations.
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
     * Hinton et al.'s soft-target loss: {@code T²/N · Σ_n KL(softmax(t_n/T) ‖ softmax(s_n/T))}, scaled by T² so its
     * gradients ({@code T/N · (softmax(s/T) - softmax(t/T))} with respect to the student's logits) keep their size
     * as T changes. Needs a teacher.
     *
     * @param weight      the term's weight
     * @param temperature T
     */
    record SoftTargetKl(double weight, double temperature) implements LossTerm {
    }

    /**
     * Mean squared error between student and teacher logits, averaged over every logit ({@code N·C} of them).
     * Needs a teacher.
     *
     * @param weight the term's weight
     */
    record LogitMse(double weight) implements LossTerm {
    }

    /**
     * FitNets' hint loss: mean squared error, over every element, between the teacher's hint layer output and a
     * learned linear regression of the student's guided layer output (per position when both are {@code [T, ·]}
     * of the same T, of the flattened outputs otherwise). The regressor is trained with the student by the same
     * optimizer and is not part of the student's weights. The student's parameters after its last guided layer
     * are not updated when every term of the loss is a hint (FitNets' first stage). Needs a teacher.
     *
     * @param weight       the term's weight
     * @param teacherLayer the hint layer's name in the teacher
     * @param studentLayer the guided layer's name in the student
     */
    record HintMse(double weight, String teacherLayer, String studentLayer) implements LossTerm {
    }
}
