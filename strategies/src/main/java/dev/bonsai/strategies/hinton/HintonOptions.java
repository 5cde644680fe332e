package dev.bonsai.strategies.hinton;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of Hinton et al.'s soft-target distillation.
 *
 * @param temperature T, the softmax temperature of both teacher and student in the soft-target term
 * @param alpha       the weight α of the soft-target term; the hard-label cross-entropy gets 1 - α
 */
public record HintonOptions(
        @Doc("Softmax temperature T of the soft targets (the paper used 20 on MNIST); the term is scaled by T².")
        @DefaultValue("4") @Range(min = 0, minExclusive = true, max = 1000) double temperature,
        @Doc("Weight α of the soft-target term; the hard-label cross-entropy gets 1 - α.") @DefaultValue("0.9")
        @Range(min = 0, max = 1) double alpha) {
}
