package dev.bonsai.strategies.structure;

import dev.bonsai.api.model.Activation;

/** The activation functions on the host, for the constants that removed units emit. */
final class Activations {

    private Activations() {
    }

    /** {@code f(x)}; GELU is the exact (erf) form. */
    static double apply(Activation f, double x) {
        return switch (f) {
            case RELU -> Math.max(0, x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case GELU -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case SILU -> x / (1 + Math.exp(-x));
        };
    }

    /** erf by the Chebyshev fit of Numerical Recipes (relative error below 1.2·10⁻⁷, float precision). */
    private static double erf(double x) {
        double t = 1 / (1 + 0.5 * Math.abs(x));
        double y = 1 - t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? y : -y;
    }
}
