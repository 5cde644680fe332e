package dev.bonsai.api.engine;

/** An optimizer every engine implements. */
public sealed interface OptimizerSpec {

    /** The base learning rate. */
    double lr();

    /**
     * Stochastic gradient descent, PyTorch's formulation: {@code g += wd·w; v = μ·v + g; w -= lr·v}
     * (Nesterov: {@code w -= lr·(g + μ·v)}).
     *
     * @param lr          learning rate
     * @param momentum    μ
     * @param nesterov    Nesterov momentum
     * @param weightDecay L2 penalty added to the gradient
     */
    record Sgd(double lr, double momentum, boolean nesterov, double weightDecay) implements OptimizerSpec {
    }

    /**
     * Adam (Kingma &amp; Ba), or AdamW (Loshchilov &amp; Hutter) when {@code decoupled}.
     *
     * @param lr          learning rate
     * @param beta1       first-moment decay
     * @param beta2       second-moment decay
     * @param epsilon     denominator guard
     * @param weightDecay L2 (Adam) or decoupled (AdamW) decay
     * @param decoupled   AdamW's decoupled weight decay
     */
    record Adam(double lr, double beta1, double beta2, double epsilon, double weightDecay, boolean decoupled)
            implements OptimizerSpec {
    }
}
