package dev.bonsai.engine.djl;

import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * Native {@link HessianVectorProbe}: exact Hessian-vector products by PyTorch's double backward, through
 * {@code JniUtils.backward(loss, 1, keepGraph = true, createGraph = true)}, which DJL's {@code GradientCollector}
 * does not expose.
 *
 * <p><b>Loss and normalisation</b> (as the generic finite-difference path): H is the Hessian of
 * {@code (1/B) Σ_b L_b}, with {@code L_b} the mean cross-entropy of batch b over its labels, in evaluation mode (no
 * dropout). All batches go into one graph (memory: every batch's activations at once). The first backward, with
 * {@code createGraph}, leaves the gradient g (with its graph) in each parameter's gradient buffer; then, for each
 * vector v, the buffers are zeroed in place and {@code Σ_p ⟨g_p, v_p⟩} is differentiated, which leaves exactly
 * {@code H v} in them. {@link #hessianVectors} computes many products on one graph (Hutchinson's vectors), so the
 * forward and first backward are paid once. The result covers every trainable parameter, pruned coordinates
 * included; parameters missing from {@code v} count as zero.
 *
 * <p>The double backward leaves graph-carrying gradient tensors in the parameters, so at the end each trainable
 * parameter is re-set to a bit-exact copy of itself (a fresh leaf without gradient): weights and masks are
 * unchanged, and the next training step or probe starts from clean gradients. <b>Known cost:</b> DJL 0.36 exposes
 * no way to reset a parameter's gradient to none (PyTorch's {@code p.grad = None}), so each replaced leaf, its
 * gradient and the graph's nodes form the reference cycle PyTorch warns about and are never freed: every call of
 * {@link #hessianVector} or {@link #hessianVectors} leaks native memory of about three times the trainable parameters'
 * size (measured on the CPU: 6–7 MB per call for 2 MB of parameters, independent of the batch size), whatever the
 * number of vectors; the core's Hutchinson estimate, which asks for all its vectors in one {@link #hessianVectors}
 * call, therefore leaks once per estimate. (Re-measured over 2,000 calls on a 256-256-10 net with 0.27 MB of
 * parameters: the resident size grew by 0.9 MB a call, linearly, with the network's managed arrays constant; a
 * gradient-only loop stayed flat.) Nothing in DJL 0.36's PyTorch JNI breaks the cycle: {@code zeroGrad} zeroes the
 * gradient in place, {@code detachGradient} returns a new tensor, {@code attachGradient(false)} only clears the flag,
 * and swapping the leaked tensors' storage away ({@code JniUtils.set}) saved under 10%, because views saved in the
 * graph keep their storage alive. A fix needs {@code autograd.grad} or {@code p.grad = None} from native code (a DJL
 * JNI addition, or a TorchScript helper run through {@code moduleRunMethod}).
 */
final class DjlHessianVector implements HessianVectorProbe {
    private final DjlForwardPass pass;
    private final Nd.Scope scope = new Nd.Scope();
    private final Nd.Scope step = new Nd.Scope();

    DjlHessianVector(DjlForwardPass pass) {
        this.pass = Objects.requireNonNull(pass, "pass");
    }

    @Override
    public Weights hessianVector(Weights v, List<Batch> batches) {
        Objects.requireNonNull(v, "v");
        Weights[] out = new Weights[1];
        hessianVectors(batches, 1, k -> v, (vector, product) -> out[0] = product);
        return out[0];
    }

    /** All {@code count} products on one graph: the forward pass and the first backward are paid once. */
    @Override
    public void hessianVectors(List<Batch> batches, int count, IntFunction<Weights> vectors,
            BiConsumer<Weights, Weights> sink) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("Hessian-vector products need at least one batch");
        }
        if (count <= 0) {
            throw new IllegalArgumentException("the number of products must be positive, got " + count);
        }
        Parameters parameters = pass.parameters();
        int n = parameters.size();
        int classes = pass.spec().outputShape().dim(-1);
        boolean gradMode = JniUtils.isGradMode();
        PtNDManager sub = pass.manager().newSubManager(pass.device());
        try {
            JniUtils.setGradMode(false);
            PtNDArray one = Nd.scalar(sub, 1, DataType.FLOAT32, pass.device());
            PtNDArray scale = Nd.scalar(sub, -1.0 / batches.size(), DataType.FLOAT32, pass.device());
            JniUtils.setGradMode(true);
            PtNDArray loss = null;
            for (Batch batch : batches) {
                int[] labels = batch.labels();
                for (int label : labels) {
                    if (label < 0 || label >= classes) {
                        throw new BonsaiException("the batch has label " + label + " but model '" + pass.spec().name()
                                + "' has " + classes + " classes");
                    }
                }
                PtNDArray y = scope.add(Nd.uploadLongs(sub, labels, new long[] {labels.length, 1}, pass.device()));
                PtNDArray logits = pass.forward(batch, false, null);
                PtNDArray flat = scope.add(JniUtils.reshape(logits, new long[] {-1, classes}));
                PtNDArray logProbabilities = scope.add(JniUtils.logSoftmax(flat, 1, DataType.FLOAT32));
                PtNDArray picked = scope.add(JniUtils.gather(logProbabilities, y, 1));
                PtNDArray term = scope.add(JniUtils.mul(scope.add(JniUtils.mean(picked)), scale));
                loss = loss == null ? term : scope.add(JniUtils.add(loss, term));
            }
            JniUtils.backward(loss, one, true, true);
            PtNDArray[] gradient = new PtNDArray[n];
            for (int i = 0; i < n; i++) {
                if (parameters.trainable(i)) {
                    PtNDArray g = JniUtils.getGradient(parameters.value(i));
                    gradient[i] = g == null ? null : scope.add(g);
                }
            }
            for (int k = 0; k < count; k++) {
                Weights v = vectors.apply(k);
                check(v, parameters);
                JniUtils.setGradMode(true);
                PtNDArray dot = null;
                for (int i = 0; i < n; i++) {
                    Tensor t = v.asMap().get(parameters.spec(i).name());
                    if (gradient[i] == null || t == null) {
                        continue;
                    }
                    PtNDArray direction = step.add(Nd.upload(sub, t.data(), shape(t), pass.device()));
                    PtNDArray part = step.add(JniUtils.sum(step.add(JniUtils.mul(gradient[i], direction))));
                    dot = dot == null ? part : step.add(JniUtils.add(dot, part));
                }
                JniUtils.setGradMode(false);
                Map<String, Tensor> product = new LinkedHashMap<>();
                if (dot != null) {
                    for (int i = 0; i < n; i++) {
                        if (gradient[i] != null) {
                            JniUtils.zeroGrad(parameters.value(i));
                        }
                    }
                    JniUtils.backward(dot, one, k < count - 1, false);
                }
                for (int i = 0; i < n; i++) {
                    if (!parameters.trainable(i)) {
                        continue;
                    }
                    Tensor hv = Tensor.zeros(parameters.spec(i).shape());
                    if (dot != null && gradient[i] != null) {
                        try (PtNDArray after = JniUtils.getGradient(parameters.value(i))) {
                            hv = new Tensor(parameters.spec(i).shape(), Nd.download(after));
                        }
                    }
                    product.put(parameters.spec(i).name(), hv);
                }
                step.close();
                sink.accept(v, new Weights(product));
            }
        } finally {
            JniUtils.setGradMode(false);
            step.close();
            scope.close();
            pass.release();
            sub.close();
            resetParameters(parameters);
            JniUtils.setGradMode(gradMode);
        }
    }

    private void check(Weights v, Parameters parameters) {
        for (Map.Entry<String, Tensor> e : v.asMap().entrySet()) {
            int i = parameters.index(e.getKey());
            if (i < 0) {
                throw new IllegalArgumentException("v names parameter '" + e.getKey() + "', which model '"
                        + pass.spec().name() + "' does not have; it has " + pass.spec().parameters().keySet());
            }
            if (!e.getValue().shape().equals(parameters.spec(i).shape())) {
                throw new IllegalArgumentException("v has shape " + e.getValue().shape() + " for '" + e.getKey()
                        + "' but the parameter has " + parameters.spec(i).shape());
            }
        }
    }

    /** Replaces each trainable parameter by a bit-exact copy of itself: a fresh leaf with no gradient. */
    private static void resetParameters(Parameters parameters) {
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.trainable(i)) {
                parameters.set(i, parameters.download(i));
            }
        }
    }

    private static long[] shape(Tensor t) {
        int[] dims = t.shape().dims();
        long[] out = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            out[i] = dims[i];
        }
        return out;
    }
}
