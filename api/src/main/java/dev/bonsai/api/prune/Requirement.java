package dev.bonsai.api.prune;

import dev.bonsai.api.engine.ActivationProbe;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.CurvatureProbe;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.engine.LayerInputMagnitudeProbe;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.engine.MovementProbe;
import java.util.Optional;

/**
 * What a strategy needs to compute its scores; the host checks and supplies them before scoring. A strategy's
 * {@link PruningContext#capability(Class)} offers exactly the capabilities of the requirements it declared (see
 * {@link #capability()}).
 */
public enum Requirement {
    /** Only the current weights (magnitude, random, LAMP). */
    WEIGHTS,
    /** Batches of training data to calibrate on. */
    CALIBRATION_DATA,
    /** Loss gradients ({@link dev.bonsai.api.engine.GradientProbe}). */
    GRADIENTS,
    /** Hessian-vector products ({@link dev.bonsai.api.engine.HessianVectorProbe}). */
    HESSIAN_VECTOR_PRODUCTS,
    /** A diagonal curvature estimate ({@link dev.bonsai.api.engine.CurvatureProbe}). */
    CURVATURE_DIAGONAL,
    /** Layer-input statistics ({@link dev.bonsai.api.engine.LayerInputProbe}). */
    LAYER_INPUT_STATISTICS,
    /** Named activations ({@link dev.bonsai.api.engine.ActivationProbe}). */
    ACTIVATIONS,
    /**
     * Scores accumulated over the optimizer steps of fine-tuning ({@link dev.bonsai.api.engine.MovementProbe}): the
     * host starts the accumulation before each round's fine-tuning; an engine must provide it natively (there is no
     * generic path, since only the engine sees every step's gradient), which
     * {@link dev.bonsai.api.engine.ComputeEngine#nativeCapabilities()} declares.
     */
    MOVEMENT_SCORES,
    /** Magnitude statistics of layer inputs ({@link dev.bonsai.api.engine.LayerInputMagnitudeProbe}). */
    LAYER_INPUT_MAGNITUDES;

    /** The capability this requirement stands for; empty for {@link #WEIGHTS} and {@link #CALIBRATION_DATA}. */
    public Optional<Class<? extends Capability>> capability() {
        return Optional.ofNullable(switch (this) {
            case WEIGHTS, CALIBRATION_DATA -> null;
            case GRADIENTS -> GradientProbe.class;
            case HESSIAN_VECTOR_PRODUCTS -> HessianVectorProbe.class;
            case CURVATURE_DIAGONAL -> CurvatureProbe.class;
            case LAYER_INPUT_STATISTICS -> LayerInputProbe.class;
            case ACTIVATIONS -> ActivationProbe.class;
            case MOVEMENT_SCORES -> MovementProbe.class;
            case LAYER_INPUT_MAGNITUDES -> LayerInputMagnitudeProbe.class;
        });
    }

    /** The requirement a strategy declares to ask for capability {@code type}; empty when none stands for it. */
    public static Optional<Requirement> forCapability(Class<?> type) {
        for (Requirement r : values()) {
            if (r.capability().filter(c -> c == type).isPresent()) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
