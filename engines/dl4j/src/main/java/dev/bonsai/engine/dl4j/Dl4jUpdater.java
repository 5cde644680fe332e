package dev.bonsai.engine.dl4j;

import dev.bonsai.api.engine.OptimizerSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * PyTorch's SGD and Adam/AdamW on the flat parameter and gradient vectors of one {@link Dl4jParameters}. The state
 * (momentum buffer, Adam moments) is created per training call, so each call starts fresh as a new PyTorch optimizer
 * would. Masks: the gradient is multiplied by the mask before the update and the weights after it, so pruned
 * weights and their optimizer state stay exactly zero.
 */
abstract class Dl4jUpdater {
    protected final Dl4jParameters parameters;

    Dl4jUpdater(Dl4jParameters parameters) {
        this.parameters = parameters;
    }

    /** The updater for {@code spec}. */
    static Dl4jUpdater of(OptimizerSpec spec, Dl4jParameters parameters) {
        if (spec instanceof OptimizerSpec.Sgd sgd) {
            return new Sgd(sgd, parameters);
        }
        if (spec instanceof OptimizerSpec.Adam adam) {
            return new Adam(adam, parameters);
        }
        throw new IllegalArgumentException("unknown optimizer " + spec);
    }

    /** One update with learning rate {@code lr} (already scheduled); {@code t} counts this call's updates from 1. */
    final void step(double lr, long t) {
        INDArray mask = parameters.flatMask();
        if (mask != null) {
            parameters.flatGrads().muli(mask);
        }
        update(parameters.flatValues(), parameters.flatGrads(), lr, t);
        if (mask != null) {
            parameters.flatValues().muli(mask);
        }
    }

    abstract void update(INDArray w, INDArray g, double lr, long t);

    /** Zeroes the state of the pruned elements (when masks change during training). */
    final void maskState() {
        INDArray mask = parameters.flatMask();
        if (mask != null) {
            for (INDArray state : state()) {
                if (state != null) {
                    state.muli(mask);
                }
            }
        }
    }

    /** The state vectors, laid out as the flat parameters; null entries for state not created yet. */
    abstract INDArray[] state();

    /** {@code g += wd·w; b = μ·b + g; w −= lr·b}, or with Nesterov {@code w −= lr·(g + μ·b)}. */
    static final class Sgd extends Dl4jUpdater {
        private final OptimizerSpec.Sgd spec;
        private INDArray buffer;

        Sgd(OptimizerSpec.Sgd spec, Dl4jParameters parameters) {
            super(parameters);
            this.spec = spec;
        }

        @Override
        void update(INDArray w, INDArray g, double lr, long t) {
            if (spec.weightDecay() != 0) {
                g.addi(w.mul(spec.weightDecay()));
            }
            INDArray direction = g;
            if (spec.momentum() != 0) {
                if (buffer == null) {
                    buffer = g.dup();
                } else {
                    buffer.muli(spec.momentum()).addi(g);
                }
                direction = spec.nesterov() ? g.add(buffer.mul(spec.momentum())) : buffer;
            }
            w.subi(direction.mul(lr));
        }

        @Override
        INDArray[] state() {
            return new INDArray[] {buffer};
        }
    }

    /**
     * Adam: {@code m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; w −= lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)}, with L2 decay
     * added to the gradient, or for AdamW {@code w −= lr·wd·w} first.
     */
    static final class Adam extends Dl4jUpdater {
        private final OptimizerSpec.Adam spec;
        private INDArray m;
        private INDArray v;

        Adam(OptimizerSpec.Adam spec, Dl4jParameters parameters) {
            super(parameters);
            this.spec = spec;
        }

        @Override
        void update(INDArray w, INDArray g, double lr, long t) {
            if (spec.weightDecay() != 0) {
                if (spec.decoupled()) {
                    w.muli(1 - lr * spec.weightDecay());
                } else {
                    g.addi(w.mul(spec.weightDecay()));
                }
            }
            if (m == null) {
                m = Nd4j.zerosLike(g);
                v = Nd4j.zerosLike(g);
            }
            m.muli(spec.beta1()).addi(g.mul(1 - spec.beta1()));
            v.muli(spec.beta2()).addi(g.mul(g).muli(1 - spec.beta2()));
            double correction1 = 1 - Math.pow(spec.beta1(), t);
            double correction2 = Math.sqrt(1 - Math.pow(spec.beta2(), t));
            INDArray denominator = Transforms.sqrt(v, true).divi(correction2).addi(spec.epsilon());
            w.subi(m.div(denominator).muli(lr / correction1));
        }

        @Override
        INDArray[] state() {
            return new INDArray[] {m, v};
        }
    }
}
