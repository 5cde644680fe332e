package dev.bonsai.engine.dl4j;

import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A network's parameters in ND4J arrays. The trainable ones live in one flat vector (with a flat gradient vector and
 * a flat mask beside it), so that the optimizer, clipping and mask enforcement are a handful of whole-vector
 * operations per step; each parameter is a view of its slice, shaped as the spec says and laid out row-major as
 * Bonsai's {@link Tensor}s are (a dense weight {@code [out, in]}, a kernel {@code [out, in, kh, kw]}), so weights
 * load and read back without any conversion. Batch-norm running statistics are state, kept in arrays of their own.
 */
final class Dl4jParameters {
    private final List<ParameterSpec> specs = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final INDArray[] values;
    private final INDArray[] grads;
    private final long[] offsets;
    private final INDArray flatValues;
    private final INDArray flatGrads;
    private final float[] maskHost;
    private INDArray flatMask;
    private INDArray trainedPart;
    private INDArray frozenValues;

    Dl4jParameters(ModelSpec spec) {
        specs.addAll(spec.parameters().values());
        long trainable = 0;
        for (ParameterSpec p : specs) {
            if (p.role().trainable()) {
                trainable += p.size();
            }
        }
        this.flatValues = Nd4j.zeros(DataType.FLOAT, Math.max(1, trainable));
        this.flatGrads = Nd4j.zeros(DataType.FLOAT, Math.max(1, trainable));
        this.maskHost = new float[Math.toIntExact(Math.max(1, trainable))];
        this.values = new INDArray[specs.size()];
        this.grads = new INDArray[specs.size()];
        this.offsets = new long[specs.size()];
        long offset = 0;
        for (int i = 0; i < specs.size(); i++) {
            ParameterSpec p = specs.get(i);
            index.put(p.name(), i);
            long[] shape = longs(p.shape());
            if (p.role().trainable()) {
                offsets[i] = offset;
                values[i] = view(flatValues, offset, p.size(), shape);
                grads[i] = view(flatGrads, offset, p.size(), shape);
                offset += p.size();
            } else {
                offsets[i] = -1;
                values[i] = Nd4j.zeros(DataType.FLOAT, shape);
            }
        }
    }

    private static INDArray view(INDArray flat, long offset, long size, long[] shape) {
        INDArray v = flat.get(NDArrayIndex.interval(offset, offset + size)).reshape('c', shape);
        if (!v.isView()) {
            throw new IllegalStateException("ND4J copied a parameter slice instead of viewing it");
        }
        return v;
    }

    /** The shape as ND4J wants it. */
    static long[] longs(Shape shape) {
        int[] dims = shape.dims();
        long[] out = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            out[i] = dims[i];
        }
        return out;
    }

    int size() {
        return specs.size();
    }

    ParameterSpec spec(int i) {
        return specs.get(i);
    }

    /** The index of the parameter named {@code name}, or -1. */
    int index(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    boolean trainable(int i) {
        return offsets[i] >= 0;
    }

    /** The parameter's array (a view of the flat vector when trainable). */
    INDArray value(String name) {
        return values[index.get(name)];
    }

    /** The gradient slot of a trainable parameter. */
    INDArray grad(String name) {
        return grads[index.get(name)];
    }

    INDArray flatValues() {
        return flatValues;
    }

    INDArray flatGrads() {
        return flatGrads;
    }

    /** The flat mask (1 kept, 0 pruned) when any mask is set, else null. */
    INDArray flatMask() {
        return flatMask;
    }

    /** Sets parameter {@code i} from a host tensor, re-applying its mask. */
    void set(int i, Tensor t) {
        values[i].assign(Nd4j.create(t.data(), values[i].shape(), 'c'));
        if (flatMask != null && trainable(i)) {
            values[i].muli(view(flatMask, offsets[i], specs.get(i).size(), values[i].shape()));
        }
    }

    /** A host copy of parameter {@code i}. */
    Tensor download(int i) {
        return new Tensor(specs.get(i).shape(), hostFloats(values[i]));
    }

    /** A host copy of the gradient of trainable parameter {@code i}. */
    Tensor downloadGrad(int i) {
        return new Tensor(specs.get(i).shape(), hostFloats(grads[i]));
    }

    /**
     * Host copies of the trainable parameters' slices of {@code flat}, a vector laid out as {@link #flatValues()}
     * (for state kept beside the parameters, such as movement scores).
     */
    dev.bonsai.api.model.Weights slices(INDArray flat) {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        float[] all = hostFloats(flat);
        for (int i = 0; i < specs.size(); i++) {
            if (trainable(i)) {
                int from = Math.toIntExact(offsets[i]);
                out.put(specs.get(i).name(), new Tensor(specs.get(i).shape(),
                        java.util.Arrays.copyOfRange(all, from, from + Math.toIntExact(specs.get(i).size()))));
            }
        }
        return new dev.bonsai.api.model.Weights(out);
    }

    /** The elements of {@code a}, row-major. */
    static float[] hostFloats(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    /**
     * Sets the masks (already checked against the spec): the flat mask is rebuilt, and the masked weights are zeroed.
     * An empty set removes the flat mask altogether.
     */
    void masks(MaskSet masks) {
        if (masks.isEmpty()) {
            flatMask = null;
            return;
        }
        java.util.Arrays.fill(maskHost, 1f);
        for (Map.Entry<String, Mask> e : masks.asMap().entrySet()) {
            int i = index.get(e.getKey());
            if (!trainable(i)) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' is state, not trained; it cannot"
                        + " be masked");
            }
            float[] m = e.getValue().toFloats();
            System.arraycopy(m, 0, maskHost, Math.toIntExact(offsets[i]), m.length);
        }
        flatMask = Nd4j.create(maskHost.clone(), new long[] {maskHost.length}, 'c');
        flatValues.muli(flatMask);
    }

    /**
     * Holds the named trainable parameters at their current values through the next updates (FitNets' first stage),
     * or, for an empty set, releases them: see {@link #holdFrozenGrads} and {@link #restoreFrozen}.
     */
    void freeze(java.util.Set<String> names) {
        if (names.isEmpty()) {
            trainedPart = null;
            frozenValues = null;
            return;
        }
        float[] keep = new float[Math.toIntExact(flatValues.length())];
        java.util.Arrays.fill(keep, 1f);
        for (String name : names) {
            int i = index.get(name);
            if (trainable(i)) {
                java.util.Arrays.fill(keep, Math.toIntExact(offsets[i]), Math.toIntExact(offsets[i] + specs.get(i).size()),
                        0f);
            }
        }
        trainedPart = Nd4j.create(keep, new long[] {keep.length}, 'c');
        frozenValues = flatValues.mul(trainedPart.rsub(1));
    }

    /**
     * The max-norm constraint: scales each output unit's incoming weights (a row of every trainable weight tensor,
     * over all axes but the first) down to {@code bound} where their L2 norm exceeds it. Pruned weights stay 0.
     */
    void constrainNorms(double bound) {
        for (int i = 0; i < specs.size(); i++) {
            INDArray w = values[i];
            if (specs.get(i).role() != ParameterRole.WEIGHT || !trainable(i) || w.rank() < 2) {
                continue;
            }
            INDArray rows = w.reshape('c', w.size(0), w.length() / w.size(0));
            INDArray factor = Transforms.min(rows.norm2(1).addi(1e-7).rdivi(bound), 1.0, false);
            rows.muliColumnVector(factor.reshape(w.size(0), 1));
            if (rows != w && !rows.isView()) {
                w.assign(rows.reshape('c', w.shape()));
            }
        }
    }

    /** Zeroes the gradients of frozen parameters (so that clipping and the optimizer ignore them). */
    void holdFrozenGrads() {
        if (trainedPart != null) {
            flatGrads.muli(trainedPart);
        }
    }

    /** Puts the frozen parameters back to their values (after an update's weight decay moved them). */
    void restoreFrozen() {
        if (trainedPart != null) {
            flatValues.muli(trainedPart).addi(frozenValues);
        }
    }

    /** Zeroes every gradient. */
    void zeroGrads() {
        flatGrads.assign(0);
    }
}
