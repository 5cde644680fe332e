package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.SquaredGradientProbe;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Native {@link SquaredGradientProbe} for dense classifiers: the squared per-sample gradients of a whole batch from
 * one forward and one backward pass, instead of one pass per sample.
 *
 * <p>For a dense layer {@code z = W a + b}, sample s's gradient is {@code δₛ aₛᵀ} (and {@code δₛ} for the bias), with
 * {@code δₛ = ∂Lₛ/∂zₛ}; so {@code Σₛ (δₛ aₛᵀ)² = (δ²)ᵀ (a²)} and {@code Σₛ δₛ²}, elementwise squares. The δ of every
 * sample comes from one backward pass of the summed loss {@code Σₛ Lₛ}, read off a zero perturbation added to each
 * dense layer's output (samples do not interact in evaluation mode). The squares are summed on the device and
 * downloaded once per call.
 *
 * <p>Offered for models of dense, activation, dropout and flatten layers whose dense layers see one vector per
 * sample and whose output is one class vector per sample ({@link #supports}); other models get the core's
 * one-sample-at-a-time path.
 */
final class DjlSquaredGradients implements SquaredGradientProbe {
    private final DjlNetwork network;
    private final PtNDManager manager;
    private final Device device;
    private final Nd.Scope step = new Nd.Scope();

    DjlSquaredGradients(DjlNetwork network, PtNDManager manager, Device device) {
        this.network = network;
        this.manager = manager;
        this.device = device;
    }

    /** Whether this path computes {@code spec}'s squared per-sample gradients exactly. */
    static boolean supports(ModelSpec spec) {
        if (spec.outputShape().rank() != 1) {
            return false;
        }
        Set<String> covered = new HashSet<>();
        Shape shape = spec.inputShape();
        for (LayerSpec layer : spec.layers()) {
            if (layer instanceof LayerSpec.Dense d) {
                if (shape.rank() != 1) {
                    return false;
                }
                covered.add(d.name() + ".weight");
                covered.add(d.name() + ".bias");
            } else if (!(layer instanceof LayerSpec.Activate || layer instanceof LayerSpec.Dropout
                    || layer instanceof LayerSpec.Flatten)) {
                return false;
            }
            shape = layer.outputShape(shape);
        }
        for (ParameterSpec p : spec.parameters().values()) {
            if (p.role().trainable() && !covered.contains(p.name())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Weights squaredGradientSum(List<Batch> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("squared gradients need at least one batch");
        }
        Parameters parameters = network.parameters();
        PtNDArray[] sums = new PtNDArray[parameters.size()];
        boolean gradMode = JniUtils.isGradMode();
        PtNDManager sub = manager.newSubManager(device);
        try {
            JniUtils.setGradMode(false);
            PtNDArray one = Nd.scalar(sub, 1, DataType.FLOAT32, device);
            for (Batch batch : batches) {
                int[] labels = network.checkedLabels(batch);
                List<Op.Dense> dense = new ArrayList<>();
                List<PtNDArray> inputs = new ArrayList<>();
                List<PtNDArray> perturbations = new ArrayList<>();
                JniUtils.setGradMode(true);
                PtNDArray logits = network.forwardRewritten(batch.features().data(), batch.size(), (op, in, out) -> {
                    if (!(op instanceof Op.Dense d)) {
                        return out;
                    }
                    PtNDArray e = step.add(JniUtils.zerosLike(out, DataType.FLOAT32, device, SparseFormat.DENSE));
                    JniUtils.attachGradient(e, true);
                    dense.add(d);
                    inputs.add(in);
                    perturbations.add(e);
                    return step.add(JniUtils.add(out, e));
                });
                PtNDArray y = step.add(Nd.uploadLongs(sub, labels, new long[] {labels.length, 1}, device));
                PtNDArray logProbabilities = step.add(JniUtils.logSoftmax(logits, 1, DataType.FLOAT32));
                PtNDArray picked = step.add(JniUtils.gather(logProbabilities, y, 1));
                PtNDArray loss = step.add(JniUtils.neg(step.add(JniUtils.sum(picked))));
                JniUtils.backward(loss, one, false, false);
                JniUtils.setGradMode(false);
                for (int k = 0; k < dense.size(); k++) {
                    Op.Dense d = dense.get(k);
                    PtNDArray deltaSquared = step.add(JniUtils.square(step.add(
                            JniUtils.getGradient(perturbations.get(k)))));
                    PtNDArray inputSquared = step.add(JniUtils.square(inputs.get(k)));
                    add(sums, d.weight(), JniUtils.matmul(step.add(JniUtils.transpose(deltaSquared, 0, 1)),
                            inputSquared));
                    if (d.bias() >= 0) {
                        add(sums, d.bias(), JniUtils.sum(deltaSquared, new long[] {0}, false));
                    }
                }
                step.close();
                network.releaseStep();
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < parameters.size(); i++) {
                if (parameters.trainable(i)) {
                    ParameterSpec p = parameters.spec(i);
                    out.put(p.name(), sums[i] == null ? Tensor.zeros(p.shape())
                            : new Tensor(p.shape(), Nd.download(sums[i])));
                }
            }
            return new Weights(out);
        } finally {
            JniUtils.setGradMode(false);
            step.close();
            network.releaseStep();
            for (PtNDArray s : sums) {
                if (s != null) {
                    s.close();
                }
            }
            // the backward passes also left the batch gradients in the parameters: clear them for the next user
            parameters.fetchGradients();
            parameters.zeroGradients();
            sub.close();
            JniUtils.setGradMode(gradMode);
        }
    }

    /** {@code sums[i] += term}, taking ownership of {@code term}. */
    private static void add(PtNDArray[] sums, int i, PtNDArray term) {
        if (sums[i] == null) {
            sums[i] = term;
        } else {
            JniUtils.addi(sums[i], term);
            term.close();
        }
    }
}
