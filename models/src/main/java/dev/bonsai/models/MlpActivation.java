package dev.bonsai.models;

import dev.bonsai.api.model.Activation;

/** The hidden activations an {@link Mlp} offers; written in lower case in descriptors ({@code relu}, {@code tanh}). */
public enum MlpActivation {
    /** Rectified linear unit, max(0, x). */
    RELU(Activation.RELU),
    /** Hyperbolic tangent, as in the original LeNet. */
    TANH(Activation.TANH);

    private final Activation function;

    MlpActivation(Activation function) {
        this.function = function;
    }

    /**
     * The engine-neutral activation function.
     *
     * @return the {@link Activation} engines apply
     */
    public Activation function() {
        return function;
    }
}
