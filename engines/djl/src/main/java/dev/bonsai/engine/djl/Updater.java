package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.engine.OptimizerSpec;
import java.nio.ByteBuffer;

/**
 * An optimizer's state and update for one call of {@link DjlNetwork#train}: the state lives in a manager of its own,
 * released when the call ends, so every training call starts from fresh optimizer state as a new PyTorch optimizer
 * would.
 *
 * <p>Masks: before the update the gradient of every pruned element is set to +0 and after it the weight is set to
 * +0 again, so pruned weights and their optimizer state (momentum buffer, Adam moments) stay exactly zero.
 */
abstract class Updater implements AutoCloseable {
    /** The network's parameters; read through the array because loading weights between calls replaces them. */
    protected final Parameters parameters;
    /** Where the state lives; closed with the updater. */
    protected final PtNDManager manager;
    /** The device. */
    protected final Device device;

    Updater(Parameters parameters, PtNDManager manager, Device device) {
        this.parameters = parameters;
        this.manager = manager;
        this.device = device;
    }

    /** The updater for {@code spec}. */
    static Updater of(OptimizerSpec spec, Parameters parameters, PtNDManager manager, Device device,
            Nd.Scope scope) {
        if (spec instanceof OptimizerSpec.Sgd sgd) {
            return new Sgd(sgd, parameters, manager, device, scope);
        }
        if (spec instanceof OptimizerSpec.Adam adam) {
            return new Adam(adam, parameters, manager, device);
        }
        throw new IllegalArgumentException("unknown optimizer " + spec);
    }

    /**
     * One update with learning rate {@code lr} (already scheduled); {@code t} counts the updates of this call from 1.
     * The gradients are in the parameters' {@code grad} slots.
     */
    abstract void step(double lr, long t);

    /**
     * Sets the state of every pruned element to +0 (called when masks change during training, so that newly pruned
     * weights carry no momentum).
     */
    abstract void maskState();

    /** The state tensor for parameter {@code i}, zero. */
    protected PtNDArray zeros(int i) {
        return JniUtils.createZerosNdArray(manager, parameters.value(i).getShape(), DataType.FLOAT32, device,
                SparseFormat.DENSE);
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * PyTorch's SGD: {@code g += wd·w; b = μ·b + g; w -= lr·b}, or with Nesterov {@code w -= lr·(g + μ·b)}; no
     * dampening. The buffer starts at zero, which equals PyTorch's first-step {@code b = g}.
     */
    static final class Sgd extends Updater {
        private final OptimizerSpec.Sgd spec;
        private final PtNDArray[] buffers;
        private final PtNDArray momentum;
        private final PtNDArray weightDecay;
        private final HostScalar lr;
        private final Nd.Scope scope;

        Sgd(OptimizerSpec.Sgd spec, Parameters parameters, PtNDManager manager, Device device, Nd.Scope scope) {
            super(parameters, manager, device);
            this.spec = spec;
            this.scope = scope;
            this.buffers = new PtNDArray[parameters.size()];
            if (spec.momentum() != 0) {
                for (int i = 0; i < buffers.length; i++) {
                    if (parameters.trainable(i)) {
                        buffers[i] = zeros(i);
                    }
                }
            }
            this.momentum = Nd.scalar(manager, spec.momentum(), DataType.FLOAT32, device);
            this.weightDecay = Nd.scalar(manager, spec.weightDecay(), DataType.FLOAT32, device);
            this.lr = new HostScalar(manager, device);
        }

        @Override
        void step(double rate, long t) {
            PtNDArray lrNow = lr.set(rate, scope);
            for (int i = 0; i < parameters.size(); i++) {
                PtNDArray g = parameters.grad(i);
                if (g == null) {
                    continue;
                }
                PtNDArray w = parameters.value(i);
                parameters.maskGradient(i);
                if (spec.weightDecay() != 0) {
                    try (PtNDArray decay = JniUtils.mul(w, weightDecay)) {
                        JniUtils.addi(g, decay);
                    }
                }
                PtNDArray direction = g;
                PtNDArray nesterov = null;
                if (spec.momentum() != 0) {
                    PtNDArray b = buffers[i];
                    JniUtils.muli(b, momentum);
                    JniUtils.addi(b, g);
                    if (spec.nesterov()) {
                        nesterov = JniUtils.mul(b, momentum);
                        JniUtils.addi(nesterov, g);
                        direction = nesterov;
                    } else {
                        direction = b;
                    }
                }
                try (PtNDArray update = JniUtils.mul(direction, lrNow)) {
                    JniUtils.subi(w, update);
                }
                if (nesterov != null) {
                    nesterov.close();
                }
                parameters.maskWeight(i);
            }
        }

        @Override
        void maskState() {
            for (int i = 0; i < buffers.length; i++) {
                parameters.maskLike(i, buffers[i]);
            }
        }
    }

    /**
     * PyTorch's Adam / AdamW through DJL's fused native update. DJL computes
     * {@code w -= m·c / (√v + ε')}; with {@code c = lr·√(1-β₂ᵗ)/(1-β₁ᵗ)} and {@code ε' = ε·√(1-β₂ᵗ)} that is
     * exactly PyTorch's {@code w -= lr/(1-β₁ᵗ) · m / (√v/√(1-β₂ᵗ) + ε)}. Adam adds {@code wd·w} to the gradient;
     * AdamW multiplies the weight by {@code 1 - lr·wd} first, as PyTorch does.
     */
    static final class Adam extends Updater {
        private final OptimizerSpec.Adam spec;
        private final PtNDArray[] first;
        private final PtNDArray[] second;

        Adam(OptimizerSpec.Adam spec, Parameters parameters, PtNDManager manager, Device device) {
            super(parameters, manager, device);
            this.spec = spec;
            this.first = new PtNDArray[parameters.size()];
            this.second = new PtNDArray[parameters.size()];
            for (int i = 0; i < first.length; i++) {
                if (parameters.trainable(i)) {
                    first[i] = zeros(i);
                    second[i] = zeros(i);
                }
            }
        }

        @Override
        void step(double lr, long t) {
            double correction1 = 1 - Math.pow(spec.beta1(), t);
            double correction2 = Math.sqrt(1 - Math.pow(spec.beta2(), t));
            float scaled = (float) (lr * correction2 / correction1);
            float epsilon = (float) (spec.epsilon() * correction2);
            for (int i = 0; i < parameters.size(); i++) {
                PtNDArray g = parameters.grad(i);
                if (g == null) {
                    continue;
                }
                parameters.maskGradient(i);
                JniUtils.adamUpdate(parameters.value(i), g, first[i], second[i], (float) lr, scaled,
                        (float) spec.weightDecay(), 1f, -1f, (float) spec.beta1(), (float) spec.beta2(), epsilon,
                        spec.decoupled());
                parameters.maskWeight(i);
            }
        }

        @Override
        void maskState() {
            for (int i = 0; i < first.length; i++) {
                parameters.maskLike(i, first[i]);
                parameters.maskLike(i, second[i]);
            }
        }
    }

    /**
     * A float that changes every step, held in a 0-dimensional CPU tensor written through a view of its memory (no
     * native call, no allocation); on another device a copy is made per step.
     */
    static final class HostScalar {
        private final PtNDArray host;
        private final ByteBuffer view;
        private final Device device;

        HostScalar(PtNDManager manager, Device device) {
            this.host = JniUtils.createEmptyNdArray(manager, new Shape(), DataType.FLOAT32, Device.cpu(),
                    SparseFormat.DENSE);
            this.view = JniUtils.getByteBuffer(host, true);
            this.device = device;
        }

        /** Sets the value and returns a tensor holding it on the device (registered in {@code scope} if a copy). */
        PtNDArray set(double value, Nd.Scope scope) {
            view.putFloat(0, (float) value);
            if (device.equals(Device.cpu())) {
                return host;
            }
            return scope.add(JniUtils.to(host, DataType.FLOAT32, device));
        }
    }
}
