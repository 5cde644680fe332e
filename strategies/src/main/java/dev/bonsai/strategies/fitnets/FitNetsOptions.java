package dev.bonsai.strategies.fitnets;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of FitNets.
 *
 * @param hintLayer   the teacher's hint layer
 * @param guidedLayer the student's guided layer
 * @param hintEpochs  epochs of the first stage (hint loss only)
 * @param temperature T of the second stage's soft targets
 * @param alpha       weight of the second stage's soft-target term; the cross-entropy gets 1 - α
 */
public record FitNetsOptions(
        @Doc("The teacher's hint layer, by name (for example relu1 of an mlp); its output is the hint.")
        String hintLayer,
        @Doc("The student's guided layer, by name; a learned linear regressor maps its output onto the hint.")
        String guidedLayer,
        @Doc("Epochs of stage 1, which trains the student's layers up to the guided layer on the hint loss alone.")
        @DefaultValue("2") @Range(min = 0) int hintEpochs,
        @Doc("Softmax temperature T of stage 2, soft-target training of the whole student.") @DefaultValue("4")
        @Range(min = 0, minExclusive = true, max = 1000) double temperature,
        @Doc("Weight α of stage 2's soft-target term; the hard-label cross-entropy gets 1 - α.") @DefaultValue("0.9")
        @Range(min = 0, max = 1) double alpha) {

    /** Checks the layer names. */
    public FitNetsOptions {
        if (hintLayer == null || hintLayer.isBlank()) {
            throw new IllegalArgumentException("'hint_layer' must name a layer of the teacher");
        }
        if (guidedLayer == null || guidedLayer.isBlank()) {
            throw new IllegalArgumentException("'guided_layer' must name a layer of the student");
        }
    }
}
