package dev.bonsai.api.model;

/** Element-wise activation functions. */
public enum Activation {
    /** max(0, x). */
    RELU,
    /** Hyperbolic tangent. */
    TANH,
    /** Logistic sigmoid. */
    SIGMOID,
    /** Gaussian error linear unit (exact, erf form). */
    GELU
}
