package dev.bonsai.experiments.descriptor;

import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/** The optimizer a descriptor asks for, picked by {@code id}. */
public sealed interface OptimizerSection {

    /** The engine-neutral optimizer. */
    OptimizerSpec toSpec();

    /**
     * SGD.
     *
     * @param lr          learning rate
     * @param momentum    momentum
     * @param nesterov    Nesterov momentum
     * @param weightDecay L2 penalty
     */
    @Variant("sgd")
    record Sgd(@Doc("Learning rate.") @DefaultValue("0.1") @Range(min = 0, minExclusive = true) double lr,
            @Doc("Momentum.") @DefaultValue("0.9") @Range(min = 0, max = 1, maxExclusive = true) double momentum,
            @Doc("Nesterov momentum.") @DefaultValue("false") boolean nesterov,
            @Doc("L2 penalty added to the gradient.") @DefaultValue("0") @Range(min = 0) double weightDecay)
            implements OptimizerSection {
        @Override
        public OptimizerSpec toSpec() {
            return new OptimizerSpec.Sgd(lr, momentum, nesterov, weightDecay);
        }
    }

    /**
     * Adam.
     *
     * @param lr          learning rate
     * @param beta1       first-moment decay
     * @param beta2       second-moment decay
     * @param epsilon     denominator guard
     * @param weightDecay L2 penalty
     */
    @Variant("adam")
    record Adam(@Doc("Learning rate.") @DefaultValue("0.001") @Range(min = 0, minExclusive = true) double lr,
            @Doc("First-moment decay.") @DefaultValue("0.9") @Range(min = 0, max = 1, maxExclusive = true) double beta1,
            @Doc("Second-moment decay.") @DefaultValue("0.999") @Range(min = 0, max = 1, maxExclusive = true) double beta2,
            @Doc("Denominator guard.") @DefaultValue("1e-8") @Range(min = 0, minExclusive = true) double epsilon,
            @Doc("L2 penalty added to the gradient.") @DefaultValue("0") @Range(min = 0) double weightDecay)
            implements OptimizerSection {
        @Override
        public OptimizerSpec toSpec() {
            return new OptimizerSpec.Adam(lr, beta1, beta2, epsilon, weightDecay, false);
        }
    }

    /**
     * AdamW: Adam with decoupled weight decay.
     *
     * @param lr          learning rate
     * @param beta1       first-moment decay
     * @param beta2       second-moment decay
     * @param epsilon     denominator guard
     * @param weightDecay decoupled decay
     */
    @Variant("adamw")
    record AdamW(@Doc("Learning rate.") @DefaultValue("0.001") @Range(min = 0, minExclusive = true) double lr,
            @Doc("First-moment decay.") @DefaultValue("0.9") @Range(min = 0, max = 1, maxExclusive = true) double beta1,
            @Doc("Second-moment decay.") @DefaultValue("0.999") @Range(min = 0, max = 1, maxExclusive = true) double beta2,
            @Doc("Denominator guard.") @DefaultValue("1e-8") @Range(min = 0, minExclusive = true) double epsilon,
            @Doc("Decoupled weight decay.") @DefaultValue("0.01") @Range(min = 0) double weightDecay)
            implements OptimizerSection {
        @Override
        public OptimizerSpec toSpec() {
            return new OptimizerSpec.Adam(lr, beta1, beta2, epsilon, weightDecay, true);
        }
    }
}
