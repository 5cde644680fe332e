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
    GELU,
    /** GELU's tanh approximation, {@code 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))}, as GPT-2 uses it. */
    GELU_TANH,
    /** Sigmoid linear unit (swish), {@code x·σ(x)}, as LLaMA's gated MLP uses it. */
    SILU
}
