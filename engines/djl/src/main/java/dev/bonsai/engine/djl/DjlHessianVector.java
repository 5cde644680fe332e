package dev.bonsai.engine.djl;

import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * Native {@link HessianVectorProbe}: exact Hessian-vector products by PyTorch's double backward, through
 * {@code torch.autograd.grad} ({@link ScriptedAutograd}), which DJL's {@code GradientCollector} does not expose.
 *
 * <p><b>Loss and normalisation</b> (as the generic finite-difference path): H is the Hessian of
 * {@code (1/B) Σ_b L_b}, with {@code L_b} the mean cross-entropy of batch b over its labels, in evaluation mode (no
 * dropout). All batches go into one graph (memory: every batch's activations at once). The gradient g is computed
 * once with its graph; then, for each vector v, {@code Σ_p ⟨g_p, v_p⟩} is differentiated again, which gives exactly
 * {@code H v}. {@link #hessianVectors} computes many products on one graph (Hutchinson's vectors), so the forward and
 * first backward are paid once. The result covers every trainable parameter, pruned coordinates included;
 * parameters missing from {@code v} count as zero.
 *
 * <p>The gradients are returned, never stored in the parameters' gradient buffers, so the parameters and their
 * gradients from training are untouched, and the graph is freed with the call's arrays: native memory stays flat
 * over any number of products.
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
        int[] trainable = trainableIndices(parameters);
        PtNDArray[] leaves = new PtNDArray[trainable.length];
        for (int j = 0; j < trainable.length; j++) {
            leaves[j] = parameters.value(trainable[j]);
        }
        int classes = pass.spec().outputShape().dim(-1);
        boolean gradMode = JniUtils.isGradMode();
        PtNDManager sub = pass.manager().newSubManager(pass.device());
        try {
            JniUtils.setGradMode(false);
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
                PtNDArray logits = ScriptedAttention.twiceDifferentiable(() -> pass.forward(batch, false, null));
                PtNDArray flat = scope.add(JniUtils.reshape(logits, new long[] {-1, classes}));
                PtNDArray logProbabilities = scope.add(JniUtils.logSoftmax(flat, 1, DataType.FLOAT32));
                PtNDArray picked = scope.add(JniUtils.gather(logProbabilities, y, 1));
                PtNDArray term = scope.add(JniUtils.mul(scope.add(JniUtils.mean(picked)), scale));
                loss = loss == null ? term : scope.add(JniUtils.add(loss, term));
            }
            PtNDArray[] gradient = leaves.length == 0 ? leaves : ScriptedAutograd.gradient(loss, leaves);
            for (PtNDArray g : gradient) {
                scope.add(g);
            }
            JniUtils.setGradMode(false);
            for (int k = 0; k < count; k++) {
                Weights v = vectors.apply(k);
                check(v, parameters);
                List<PtNDArray> gradients = new ArrayList<>();
                List<PtNDArray> directions = new ArrayList<>();
                for (int j = 0; j < trainable.length; j++) {
                    Tensor t = v.asMap().get(parameters.spec(trainable[j]).name());
                    if (t != null) {
                        gradients.add(gradient[j]);
                        directions.add(step.add(Nd.upload(sub, t.data(), shape(t), pass.device())));
                    }
                }
                PtNDArray[] hv = gradients.isEmpty() ? null : ScriptedAutograd.product(
                        gradients.toArray(PtNDArray[]::new), directions.toArray(PtNDArray[]::new), leaves);
                Map<String, Tensor> product = new LinkedHashMap<>();
                for (int j = 0; j < trainable.length; j++) {
                    ParameterSpec spec = parameters.spec(trainable[j]);
                    product.put(spec.name(), hv == null ? Tensor.zeros(spec.shape())
                            : new Tensor(spec.shape(), Nd.download(step.add(hv[j]))));
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

    private static int[] trainableIndices(Parameters parameters) {
        int count = 0;
        for (int i = 0; i < parameters.size(); i++) {
            count += parameters.trainable(i) ? 1 : 0;
        }
        int[] out = new int[count];
        for (int i = 0, j = 0; i < parameters.size(); i++) {
            if (parameters.trainable(i)) {
                out[j++] = i;
            }
        }
        return out;
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
