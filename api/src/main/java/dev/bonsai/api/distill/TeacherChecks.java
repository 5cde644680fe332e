package dev.bonsai.api.distill;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Experimental;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;

/**
 * The checks a teacher and its student must pass, shared by hosts (before any training) and engines (before a
 * training call), so both refuse the same things with the same reasons.
 */
@Experimental("arrives with distillation")
public final class TeacherChecks {
    private TeacherChecks() {
    }

    /**
     * Refuses a teacher whose outputs (classes, or vocabulary at the same positions) or inputs differ from the
     * student's.
     *
     * @throws BonsaiException naming both shapes
     */
    public static void requireCompatible(ModelSpec student, ModelSpec teacher) {
        if (!teacher.outputShape().equals(student.outputShape())) {
            throw new BonsaiException("the teacher '" + teacher.name() + "' gives outputs of shape "
                    + teacher.outputShape() + " but the student '" + student.name() + "' gives "
                    + student.outputShape() + ": a teacher must predict the same classes (or vocabulary, at the same"
                    + " positions) as its student");
        }
        if (!teacher.inputShape().equals(student.inputShape())) {
            throw new BonsaiException("the teacher '" + teacher.name() + "' takes inputs of shape "
                    + teacher.inputShape() + " but the student '" + student.name() + "' takes "
                    + student.inputShape());
        }
    }

    /**
     * The per-sample output shape of the layer named {@code layer} in {@code spec}.
     *
     * @param what what the layer is for, for the message, for example {@code hint layer}
     * @param role whose model it is, for example {@code teacher}
     * @throws BonsaiException naming the layer and listing the model's layers when it has none of that name
     */
    public static Shape layerOutput(ModelSpec spec, String layer, String what, String role) {
        Shape shape = spec.layerOutputs().get(layer);
        if (shape == null) {
            throw new BonsaiException("the " + what + " '" + layer + "' does not exist in the " + role + " '"
                    + spec.name() + "'; its layers are " + spec.layerOutputs().keySet());
        }
        return shape;
    }
}
