package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.prune.Mask;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A network's parameters on the device, in model order, with their gradients and pruning masks.
 *
 * <p>Trainable parameters require gradients. PyTorch accumulates each backward pass into the same gradient tensor
 * in place, so the wrapper of a parameter's gradient is fetched once after the first backward pass and reused
 * until the parameter is replaced. Masks are held as boolean tensors, true where pruned, and enforced with
 * {@code masked_fill_}, which writes +0 (a multiplication would leave −0 and NaN through).
 */
final class Parameters {
    private final PtNDManager manager;
    private final Device device;
    private final List<ParameterSpec> specs;
    private final Map<String, Integer> index = new HashMap<>();
    private final PtNDArray[] values;
    private final PtNDArray[] grads;
    private final PtNDArray[] pruned;
    private final boolean[] trainable;
    private final boolean[] frozen;
    private final long[][] shapes;
    private final PtNDArray zero;

    Parameters(ModelSpec spec, PtNDManager manager, Device device) {
        this.manager = manager;
        this.device = device;
        this.specs = new ArrayList<>(spec.parameters().values());
        int n = specs.size();
        this.values = new PtNDArray[n];
        this.grads = new PtNDArray[n];
        this.pruned = new PtNDArray[n];
        this.trainable = new boolean[n];
        this.frozen = new boolean[n];
        this.shapes = new long[n][];
        for (int i = 0; i < n; i++) {
            ParameterSpec p = specs.get(i);
            index.put(p.name(), i);
            trainable[i] = p.role().trainable();
            int[] dims = p.shape().dims();
            shapes[i] = new long[dims.length];
            for (int d = 0; d < dims.length; d++) {
                shapes[i][d] = dims[d];
            }
        }
        this.zero = Nd.scalar(manager, 0, DataType.FLOAT32, device);
    }

    /** The number of parameters. */
    int size() {
        return values.length;
    }

    /** The index of the parameter named {@code name}, or -1. */
    int index(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /** The spec of parameter {@code i}. */
    ParameterSpec spec(int i) {
        return specs.get(i);
    }

    /** The value of parameter {@code i}. */
    PtNDArray value(int i) {
        return values[i];
    }

    /**
     * The gradient of parameter {@code i}, or null when it has none (not trainable, frozen, or no backward pass
     * yet); updaters skip parameters without one.
     */
    PtNDArray grad(int i) {
        return frozen[i] ? null : grads[i];
    }

    /** Freezes the parameters named in {@code names} (and thaws every other): they get no gradient and no update. */
    void freeze(java.util.Set<String> names) {
        for (int i = 0; i < frozen.length; i++) {
            frozen[i] = names.contains(specs.get(i).name());
        }
    }

    /** Whether the optimizer updates parameter {@code i}. */
    boolean trainable(int i) {
        return trainable[i];
    }

    /** Replaces parameter {@code i} by a bit-exact device copy of {@code tensor}, re-zeroing its pruned elements. */
    void set(int i, Tensor tensor) {
        PtNDArray fresh = Nd.upload(manager, tensor.data(), shapes[i], device);
        if (trainable[i]) {
            JniUtils.attachGradient(fresh, true);
        }
        PtNDArray old = values[i];
        values[i] = fresh;
        if (grads[i] != null) {
            grads[i].close();
            grads[i] = null;
        }
        if (old != null) {
            old.close();
        }
        maskWeight(i);
    }

    /** A host copy of parameter {@code i}. */
    Tensor download(int i) {
        return new Tensor(specs.get(i).shape(), Nd.download(values[i]));
    }

    /** Fetches the gradient wrappers after a backward pass (once per parameter; PyTorch then updates in place). */
    void fetchGradients() {
        for (int i = 0; i < values.length; i++) {
            if (trainable[i] && grads[i] == null) {
                grads[i] = JniUtils.getGradient(values[i]);
            }
        }
    }

    /** Sets every gradient to zero, in place. */
    void zeroGradients() {
        for (int i = 0; i < values.length; i++) {
            if (grads[i] != null) {
                JniUtils.zeroGrad(values[i]);
            }
        }
    }

    /** Sets the mask of parameter {@code i} (null for none) and zeroes its pruned weights now. */
    void mask(int i, Mask mask) {
        if (pruned[i] != null) {
            pruned[i].close();
            pruned[i] = null;
        }
        if (mask == null || mask.prunedCount() == 0) {
            return;
        }
        boolean[] cut = new boolean[mask.size()];
        for (int k = 0; k < cut.length; k++) {
            cut[k] = !mask.kept(k);
        }
        pruned[i] = Nd.uploadBooleans(manager, cut, shapes[i], device);
        maskWeight(i);
    }

    /** Whether parameter {@code i} has pruned elements. */
    boolean masked(int i) {
        return pruned[i] != null;
    }

    /** Sets the pruned elements of the gradient of parameter {@code i} to +0 (needs grad mode off). */
    void maskGradient(int i) {
        if (pruned[i] != null && grads[i] != null) {
            JniUtils.booleanMaskSet(grads[i], zero, pruned[i]);
        }
    }

    /**
     * Sets the elements of {@code state} (shaped as parameter {@code i}, for example its momentum) where parameter
     * {@code i} is pruned to +0; nothing when it has no mask or {@code state} is null.
     */
    void maskLike(int i, PtNDArray state) {
        if (pruned[i] != null && state != null) {
            JniUtils.booleanMaskSet(state, zero, pruned[i]);
        }
    }

    /** Sets the pruned elements of parameter {@code i} to +0 (needs grad mode off). */
    void maskWeight(int i) {
        if (pruned[i] != null) {
            boolean before = JniUtils.isGradMode();
            if (before) {
                JniUtils.setGradMode(false);
            }
            JniUtils.booleanMaskSet(values[i], zero, pruned[i]);
            if (before) {
                JniUtils.setGradMode(true);
            }
        }
    }
}
