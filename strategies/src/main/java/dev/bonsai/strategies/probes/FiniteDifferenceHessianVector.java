package dev.bonsai.strategies.probes;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Generic {@link HessianVectorProbe}: central finite differences of the engine's gradients,
 * {@code H·v ≈ (g(w + h·v) − g(w − h·v)) / 2h}.
 *
 * <p><b>Loss and normalisation</b>, as the native paths: H is the Hessian of the mean over {@code batches} of each
 * batch's mean cross-entropy (evaluation mode), that is {@code g = gradientSum(batches) / batches.size()} is
 * differentiated. With batches of equal size this is the mean over all samples. The result covers every trainable
 * parameter the gradient probe reports; parameters missing from {@code v} are taken as zero in {@code v}. Pruned
 * coordinates are included (the Hessian at the current, masked, weights), as a native double backward gives.
 *
 * <p><b>Step.</b> {@code h = step · (1 + max|w|) / max|v|} with {@code step = 2⁻⁷} by default: the largest weight
 * change is about 0.8 % of the weights' scale, balancing the O(h²) truncation error of the central difference
 * against float32 round-off in the gradients (relative error about {@code 1e-7 / step}). Accuracy is therefore
 * about 1e-3 relative on smooth networks; across a ReLU kink the difference is of the neighbouring pieces.
 *
 * <p><b>State.</b> The weights are perturbed through {@link Network#loadWeights}. The masks are lifted for the
 * duration (otherwise pruned coordinates could not be perturbed) and the network is left exactly as found: its
 * weights bit for bit and its masks, even when the gradient probe fails.
 */
public final class FiniteDifferenceHessianVector implements HessianVectorProbe {
    /** The default relative step, 2⁻⁷. */
    public static final double DEFAULT_STEP = 1.0 / 128;

    private final Network network;
    private final GradientProbe gradients;
    private final double step;

    /** Finite differences with the {@linkplain #DEFAULT_STEP default step}. */
    public FiniteDifferenceHessianVector(Network network, GradientProbe gradients) {
        this(network, gradients, DEFAULT_STEP);
    }

    /**
     * Finite differences with a given relative step.
     *
     * @param network   the network whose weights are perturbed
     * @param gradients its gradient probe
     * @param step      the largest perturbation relative to {@code 1 + max|w|}, in (0, 1)
     */
    public FiniteDifferenceHessianVector(Network network, GradientProbe gradients, double step) {
        this.network = Objects.requireNonNull(network, "network");
        this.gradients = Objects.requireNonNull(gradients, "gradients");
        if (!(step > 0 && step < 1)) {
            throw new IllegalArgumentException("finite-difference step must be in (0, 1), got " + step);
        }
        this.step = step;
    }

    @Override
    public Weights hessianVector(Weights v, List<Batch> batches) {
        Objects.requireNonNull(v, "v");
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("Hessian-vector products need at least one batch");
        }
        Weights saved = network.weights();
        for (Map.Entry<String, Tensor> e : v.asMap().entrySet()) {
            if (!saved.contains(e.getKey())) {
                throw new IllegalArgumentException("v names parameter '" + e.getKey() + "', which model '"
                        + network.spec().name() + "' does not have; it has " + saved.asMap().keySet());
            }
            if (!saved.get(e.getKey()).shape().equals(e.getValue().shape())) {
                throw new IllegalArgumentException("v has shape " + e.getValue().shape() + " for '" + e.getKey()
                        + "' but the parameter has " + saved.get(e.getKey()).shape());
            }
        }
        double vMax = ProbeMath.maxAbs(v);
        if (vMax == 0) {
            Weights g = gradients.gradientSum(batches);
            return ProbeMath.toWeights(ProbeMath.accumulators(g), g, 0);
        }
        Map<String, Tensor> perturbed = new LinkedHashMap<>();
        for (String name : v.asMap().keySet()) {
            perturbed.put(name, saved.get(name));
        }
        double wMax = ProbeMath.maxAbs(new Weights(perturbed));
        double h = step * (1 + wMax) / vMax;
        MaskSet masks = network.masks();
        Weights plus;
        Weights minus;
        try {
            if (!masks.isEmpty()) {
                network.clearMasks();
            }
            network.loadWeights(shifted(saved, v, h));
            plus = gradients.gradientSum(batches);
            network.loadWeights(shifted(saved, v, -h));
            minus = gradients.gradientSum(batches);
        } finally {
            network.loadWeights(new Weights(perturbed));
            if (!masks.isEmpty()) {
                network.applyMasks(masks);
            }
        }
        Map<String, double[]> acc = ProbeMath.accumulators(plus);
        ProbeMath.add(acc, plus, 1);
        ProbeMath.add(acc, minus, -1);
        return ProbeMath.toWeights(acc, plus, 1 / (2 * h * batches.size()));
    }

    /** {@code w + h·v} for the parameters of {@code v}, rounded to float. */
    private static Weights shifted(Weights w, Weights v, double h) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : v.asMap().entrySet()) {
            float[] base = w.get(e.getKey()).data();
            float[] dir = e.getValue().data();
            float[] d = new float[base.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (base[i] + h * dir[i]);
            }
            out.put(e.getKey(), new Tensor(e.getValue().shape(), d));
        }
        return new Weights(out);
    }
}
