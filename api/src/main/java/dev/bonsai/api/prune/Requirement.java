package dev.bonsai.api.prune;

/** What a strategy needs to compute its scores; the host checks and supplies them before scoring. */
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
    MOVEMENT_SCORES
}
