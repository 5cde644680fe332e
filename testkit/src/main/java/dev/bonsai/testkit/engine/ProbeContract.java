package dev.bonsai.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.ActivationProbe;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.CurvatureProbe;
import dev.bonsai.api.engine.CurvatureProbe.Estimator;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.engine.LayerInputMagnitudeProbe;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.LrSchedule;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.engine.SquaredGradientProbe;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract of the probes a strategy asks of a network: gradients, Hessian-vector products, diagonal curvature
 * (empirical Fisher, Gauss–Newton, Hutchinson), layer-input statistics (sums of squares, Gram matrices,
 * magnitudes) and activations, each whether the engine computes it natively or the core's generic fallback does,
 * checked against independent references on tiny networks. An engine's test subclasses it and connects the core's
 * resolver:
 *
 * <pre>{@code
 * class MyEngineProbeTest extends ProbeContract {
 *     protected ComputeEngine<?> engine() { return new MyEngine(); }
 *     protected <C extends Capability> C resolve(Network n, Class<C> t) { return Capabilities.resolve(n, t); }
 *     protected <C extends Capability> C generic(Network n, Class<C> t) { return Capabilities.generic(n, t); }
 * }
 * }</pre>
 *
 * <p><b>Precision.</b> Engines compute in float32. References are in double precision; each tolerance is justified
 * where it is used. Finite differences use steps of about 1e-2, where the central difference's O(h²) truncation
 * (about 1e-5 for these smooth tanh/softmax networks) and float32 round-off amplified by 1/h (about 1e-7 / 1e-2 =
 * 1e-5) are both well below the tolerances.
 *
 * <p>The models: {@link #LINEAR}, a softmax classifier (flatten, dense), whose gradient, Hessian, Fisher and
 * Gauss–Newton matrices have closed forms ({@link SoftmaxReference}); and {@link #TANH}, a two-layer tanh network
 * with a dropout layer, which makes any probe that runs in training mode visibly wrong.
 */
public abstract class ProbeContract extends EngineTestBase {
    /** One sample's shape: three-dimensional, so flatten is exercised. */
    protected static final Shape INPUT = Shape.of(2, 2, 2);
    /** The number of classes. */
    protected static final int CLASSES = 3;
    /** A softmax classifier: flatten, dense (27 parameters). */
    protected static final ModelSpec LINEAR = new ModelSpec("probe-linear", INPUT, List.of(
            new LayerSpec.Flatten("flat"), new LayerSpec.Dense("fc", CLASSES, true)));
    /** Flatten, dense 8→4, tanh, dropout 0.5, dense 4→3 (51 parameters). */
    protected static final ModelSpec TANH = new ModelSpec("probe-tanh", INPUT, List.of(
            new LayerSpec.Flatten("flat"), new LayerSpec.Dense("fc1", 4, true),
            new LayerSpec.Activate("act", Activation.TANH), new LayerSpec.Dropout("drop", 0.5),
            new LayerSpec.Dense("fc2", CLASSES, true)));
    /** Conv 2→3 channels (3×3, stride 2, padding 1) on 5×5 images, tanh, flatten, dense 27→3 (138 parameters). */
    protected static final ModelSpec CONV = new ModelSpec("probe-conv", Shape.of(2, 5, 5), List.of(
            new LayerSpec.Conv2d("conv", 3, 3, 2, 1, true), new LayerSpec.Activate("act", Activation.TANH),
            new LayerSpec.Flatten("flat"), new LayerSpec.Dense("fc", CLASSES, true)));


    /** The capability, native or through the core's fallback: {@code Capabilities.resolve(network, type)}. */
    protected abstract <C extends Capability> C resolve(Network network, Class<C> type);

    /** The core's generic fallback even where a native one exists: {@code Capabilities.generic(network, type)}. */
    protected abstract <C extends Capability> C generic(Network network, Class<C> type);


    /** A network of {@code spec} with seeded weights, scaled by {@code scale} so the softmax is far from uniform. */
    protected final Network network(ModelSpec spec, long seed, double scale) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        WeightInitializer.initialize(spec, seed).asMap().forEach((name, t) -> {
            float[] d = t.data().clone();
            SplittableRandom random = new SplittableRandom(seed + name.hashCode());
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (d[i] * scale + 0.1 * random.nextDouble(-1, 1));
            }
            w.put(name, new Tensor(t.shape(), d));
        });
        return runtime().build(spec, new Weights(w), device());
    }

    /** {@code n} samples of random features in [-1, 1) with random labels. */
    protected static Split data(int n, long seed) {
        return SyntheticData.random("probe", n, INPUT, CLASSES, seed);
    }

    /** The samples {@code [from, to)} of {@code split} as a batch. */
    protected static Batch batch(Split split, int from, int to) {
        int[] order = new int[split.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return split.batch(order, from, to);
    }

    // ------------------------------------------------------------------------------------------------ gradients

    /**
     * Gradients are those of each batch's mean cross-entropy in evaluation mode, summed over the batches: checked
     * against central differences of the loss {@link Network#evaluate} reports on a one-batch split, element by
     * element, on the tanh network with dropout.
     *
     * <p><b>Catches:</b> the gradient of the summed instead of the mean loss (off by the batch size); gradients in
     * training mode (dropout active: off by about half); a sign error; gradients that accumulate from one call
     * into the next, or that are not summed over batches.
     *
     * <p><b>Tolerance</b> {@code 1e-3 + 1e-2·|fd|}: {@code evaluate} sums float32 per-sample losses in float64, so
     * the loss is exact to about 1e-6; divided by the step difference 2h = 2e-2 that is 5e-5; the truncation error
     * h²/6·|L'''| is below 2e-5 here; gradient entries are of order 0.1.
     */
    @Test
    public void gradientsMatchCentralDifferencesOfTheLoss() {
        Split split = data(24, 11);
        try (Network network = network(TANH, 3, 1.5)) {
            GradientProbe probe = resolve(network, GradientProbe.class);
            Weights g = probe.gradientSum(List.of(batch(split, 0, 24)));
            Weights again = probe.gradientSum(List.of(batch(split, 0, 24)));
            Weights base = network.weights();
            double h = 1e-2;
            for (Map.Entry<String, Tensor> e : base.asMap().entrySet()) {
                float[] w = e.getValue().data();
                for (int i = 0; i < w.length; i++) {
                    float up = (float) (w[i] + h);
                    float down = (float) (w[i] - h);
                    double lossUp = lossWith(network, split, e.getKey(), e.getValue(), i, up);
                    double lossDown = lossWith(network, split, e.getKey(), e.getValue(), i, down);
                    double fd = (lossUp - lossDown) / ((double) up - down);
                    double got = g.get(e.getKey()).data()[i];
                    assertThat(Math.abs(got - fd)).as("gradient of %s[%d]: probe %s, finite difference %s",
                            e.getKey(), i, got, fd).isLessThanOrEqualTo(1e-3 + 1e-2 * Math.abs(fd));
                }
            }
            network.loadWeights(base);
            assertThat(again.asMap()).as("a second call gives the same gradients").isEqualTo(g.asMap());
            Weights two = probe.gradientSum(List.of(batch(split, 0, 10), batch(split, 10, 24)));
            Weights first = probe.gradientSum(List.of(batch(split, 0, 10)));
            Weights second = probe.gradientSum(List.of(batch(split, 10, 24)));
            for (String name : two.asMap().keySet()) {
                float[] sum = two.get(name).data();
                for (int i = 0; i < sum.length; i++) {
                    double expected = (double) first.get(name).data()[i] + second.get(name).data()[i];
                    assertThat(Math.abs(sum[i] - expected)).as("sum over batches of %s[%d]", name, i)
                            .isLessThanOrEqualTo(1e-6 + 1e-5 * Math.abs(expected));
                }
            }
        }
    }

    private static double lossWith(Network network, Split split, String name, Tensor original, int i, float value) {
        float[] d = original.data().clone();
        d[i] = value;
        network.loadWeights(new Weights(Map.of(name, new Tensor(original.shape(), d))));
        double loss = network.evaluate(split, split.size()).loss();
        network.loadWeights(new Weights(Map.of(name, original)));
        return loss;
    }

    // ------------------------------------------------------------------------------------------ Hessian-vector

    /**
     * Hessian-vector products, native and generic, against central differences of the gradient probe along v
     * (computed here, step 1e-2 / max|v|), on the tanh network with dropout, over two batches.
     *
     * <p><b>Catches:</b> a double backward that does not subtract the first-order gradient accumulated in the same
     * buffer (off by g); a product of the summed instead of the mean loss over batches (off by the number of
     * batches); a product in training mode (dropout).
     *
     * <p><b>Tolerance</b> {@code 2e-3·max|Hv| + 1e-4}: the reference's truncation error is about
     * (h·|v|)²·|∇³L| ≈ 1e-4 relative and its float32 round-off is about 1e-7/h = 1e-5 relative.
     */
    @Test
    public void hessianVectorProductsMatchFiniteDifferencesOfGradients() {
        Split split = data(32, 12);
        List<Batch> batches = List.of(batch(split, 0, 16), batch(split, 16, 32));
        try (Network network = network(TANH, 4, 1.5)) {
            Weights v = randomDirection(network.spec(), 99);
            Weights reference = finiteDifferenceHv(network, v, batches, 1e-2);
            Weights nativeOrResolved = resolve(network, HessianVectorProbe.class).hessianVector(v, batches);
            Weights fallback = generic(network, HessianVectorProbe.class).hessianVector(v, batches);
            double scale = maxAbs(reference);
            assertThat(scale).as("the products are not trivially zero").isGreaterThan(1e-3);
            assertClose(nativeOrResolved, reference, 2e-3 * scale + 1e-4, "H·v (resolved)");
            assertClose(fallback, reference, 2e-3 * scale + 1e-4, "H·v (generic)");
        }
    }

    /**
     * Hessian-vector products against the exact Hessian of a softmax classifier, in closed form over two batches,
     * both for random vectors and column by column (H·eⱼ for every unit vector eⱼ), and the built matrix is
     * symmetric.
     *
     * <p><b>Catches:</b> the first-order gradient left in the result (every column off by g, so the matrix is not
     * symmetric either); a wrong normalisation (sum over samples or over batches instead of the mean); products
     * for the wrong parameter (mixed-up names or layouts).
     *
     * <p><b>Tolerance:</b> for the resolved (native) path {@code 1e-4·max|H| + 1e-6}, float32 arithmetic on
     * quantities of order 1; for the generic finite differences {@code 3e-3·max|H| + 1e-5}, their truncation and
     * round-off (see the class comment).
     */
    @Test
    public void hessianVectorProductsMatchTheExactHessianOfASoftmaxClassifier() {
        Split split = data(32, 13);
        List<Batch> batches = List.of(batch(split, 0, 16), batch(split, 16, 32));
        try (Network network = network(LINEAR, 5, 2)) {
            SoftmaxReference reference = new SoftmaxReference(network.weights(), "fc");
            double[] exact = reference.hessian(split.features(), 32);
            int m = reference.size();
            double scale = 0;
            for (double x : exact) {
                scale = Math.max(scale, Math.abs(x));
            }
            for (boolean nativePath : new boolean[] {true, false}) {
                HessianVectorProbe probe = nativePath ? resolve(network, HessianVectorProbe.class)
                        : generic(network, HessianVectorProbe.class);
                double tolerance = nativePath ? 1e-4 * scale + 1e-6 : 3e-3 * scale + 1e-5;
                String path = nativePath ? "resolved" : "generic";
                double[] built = new double[m * m];
                for (int j = 0; j < m; j++) {
                    double[] e = new double[m];
                    e[j] = 1;
                    double[] column = flatLinear(probe.hessianVector(linearWeights(e), batches));
                    for (int i = 0; i < m; i++) {
                        built[i * m + j] = column[i];
                        assertThat(Math.abs(column[i] - exact[i * m + j])).as("%s H[%d][%d]: %s, exact %s", path, i, j,
                                column[i], exact[i * m + j]).isLessThanOrEqualTo(tolerance);
                    }
                }
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < i; j++) {
                        assertThat(Math.abs(built[i * m + j] - built[j * m + i])).as("%s symmetry at %d, %d", path, i, j)
                                .isLessThanOrEqualTo(tolerance);
                    }
                }
                double[] v = new double[m];
                SplittableRandom random = new SplittableRandom(7);
                for (int i = 0; i < m; i++) {
                    v[i] = random.nextDouble(-1, 1);
                }
                double[] hv = flatLinear(probe.hessianVector(linearWeights(v), batches));
                for (int i = 0; i < m; i++) {
                    double expected = 0;
                    for (int j = 0; j < m; j++) {
                        expected += exact[i * m + j] * (float) v[j];
                    }
                    assertThat(Math.abs(hv[i] - expected)).as("%s (H·v)[%d]", path, i)
                            .isLessThanOrEqualTo(tolerance * Math.sqrt(m));
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ curvature

    /**
     * The empirical Fisher diagonal is the mean over samples of squared per-sample gradients at the true labels:
     * checked against the closed-form per-sample gradients of a softmax classifier, over two batches, with all
     * samples and with the first 5.
     *
     * <p><b>Catches:</b> squaring the batch's mean gradient instead of per-sample gradients; dividing by the number
     * of batches instead of samples; ignoring {@code samples}; labels taken from the model instead of the data.
     *
     * <p><b>Tolerance</b> {@code 1e-4·|F| + 1e-6}: float32 per-sample gradients of order 1, squared and summed.
     */
    @Test
    public void empiricalFisherMatchesPerSampleGradientsOfASoftmaxClassifier() {
        Split split = data(20, 14);
        List<Batch> batches = List.of(batch(split, 0, 8), batch(split, 8, 20));
        try (Network network = network(LINEAR, 6, 2)) {
            SoftmaxReference reference = new SoftmaxReference(network.weights(), "fc");
            CurvatureProbe probe = resolve(network, CurvatureProbe.class);
            for (int samples : new int[] {0, 5}) {
                int count = samples == 0 ? 20 : samples;
                double[] expected = new double[reference.size()];
                for (int s = 0; s < count; s++) {
                    double[] g = reference.gradient(split.features(), s, split.labels()[s]);
                    for (int i = 0; i < g.length; i++) {
                        expected[i] += g[i] * g[i] / count;
                    }
                }
                double[] got = flatLinear(probe.diagonal(Estimator.EMPIRICAL_FISHER, batches, samples, 1));
                for (int i = 0; i < got.length; i++) {
                    assertThat(Math.abs(got[i] - expected[i])).as("empirical Fisher [%d] over %d samples", i, count)
                            .isLessThanOrEqualTo(1e-4 * Math.abs(expected[i]) + 1e-6);
                }
            }
        }
    }

    /**
     * The Gauss–Newton (Monte-Carlo Fisher) diagonal with labels drawn from the model: checked against its exact
     * expectation over the labels, {@code (1/N) Σₙ Σ_y p(y|xₙ) g_{n,y}²}, on a softmax classifier, with K = 64
     * draws per sample; seeded (same seed, same result; another seed, another result).
     *
     * <p><b>Catches:</b> true labels instead of sampled ones (the empirical Fisher, which differs from the
     * expectation by far more than the tolerance here: checked); the arg-max label instead of a sample; a wrong
     * normalisation; an unseeded sampler.
     *
     * <p><b>Tolerance</b> {@code 5σ + 1e-4·|E| + 1e-6} per coordinate, with σ² = Σₙ Var_y(g_{n,y}²) / (N²K) the
     * exact variance of the estimate when each sample gets K draws: a deterministic seed, and a 5σ miss would
     * have probability below 6e-7 per coordinate.
     */
    @Test
    public void gaussNewtonMatchesTheExpectationOverTheModelsLabels() {
        int n = 12;
        int draws = 64;
        Split split = data(n, 15);
        List<Batch> batches = List.of(batch(split, 0, 5), batch(split, 5, n));
        try (Network network = network(LINEAR, 7, 2)) {
            SoftmaxReference reference = new SoftmaxReference(network.weights(), "fc");
            int m = reference.size();
            double[] mean = new double[m];
            double[] variance = new double[m];
            double[] fisher = new double[m];
            for (int s = 0; s < n; s++) {
                double[] p = reference.probabilities(split.features(), s);
                double[] first = new double[m];
                double[] second = new double[m];
                for (int y = 0; y < CLASSES; y++) {
                    double[] g = reference.gradient(split.features(), s, y);
                    for (int i = 0; i < m; i++) {
                        first[i] += p[y] * g[i] * g[i];
                        second[i] += p[y] * g[i] * g[i] * g[i] * g[i];
                    }
                }
                double[] gTrue = reference.gradient(split.features(), s, split.labels()[s]);
                for (int i = 0; i < m; i++) {
                    mean[i] += first[i] / n;
                    variance[i] += (second[i] - first[i] * first[i]) / ((double) n * n * draws);
                    fisher[i] += gTrue[i] * gTrue[i] / n;
                }
            }
            CurvatureProbe probe = resolve(network, CurvatureProbe.class);
            double[] got = flatLinear(probe.diagonal(Estimator.GAUSS_NEWTON, batches, n * draws, 21));
            int farFromFisher = 0;
            for (int i = 0; i < m; i++) {
                double sigma = Math.sqrt(variance[i]);
                assertThat(Math.abs(got[i] - mean[i])).as("Gauss–Newton [%d]: %s, expectation %s, σ %s", i, got[i],
                        mean[i], sigma).isLessThanOrEqualTo(5 * sigma + 1e-4 * Math.abs(mean[i]) + 1e-6);
                if (Math.abs(fisher[i] - mean[i]) > 5 * sigma + 1e-4 * Math.abs(mean[i]) + 1e-6) {
                    farFromFisher++;
                }
            }
            assertThat(farFromFisher).as("coordinates where the empirical Fisher would fail this test")
                    .isGreaterThan(m / 3);
            Weights same = probe.diagonal(Estimator.GAUSS_NEWTON, batches, n * draws, 21);
            Weights other = probe.diagonal(Estimator.GAUSS_NEWTON, batches, n * draws, 22);
            assertThat(flatLinear(same)).as("same seed").containsExactly(got);
            assertThat(flatLinear(other)).as("another seed").isNotEqualTo(got);
        }
    }

    /**
     * Hutchinson's estimate against the exact Hessian diagonal of a softmax classifier, with K = 1500 Rademacher
     * vectors; seeded.
     *
     * <p><b>Catches:</b> a missing division by the number of vectors; z ⊙ Hz taken with the wrong z (mixed-up
     * parameters) or with Gaussian instead of ±1 entries (then the variance, and the error, grows); the first-order
     * gradient left in H·z.
     *
     * <p><b>Tolerance</b> {@code 5σᵢ + 1e-4·max|H|}, with σᵢ² = Σ_{j≠i} Hᵢⱼ² / K the exact variance of the estimate
     * in coordinate i, plus float32 round-off of the products.
     */
    @Test
    public void hutchinsonMatchesTheExactDiagonal() {
        int vectors = 1500;
        Split split = data(16, 16);
        List<Batch> batches = List.of(batch(split, 0, 16));
        try (Network network = network(LINEAR, 8, 2)) {
            SoftmaxReference reference = new SoftmaxReference(network.weights(), "fc");
            double[] exact = reference.hessian(split.features(), 16);
            int m = reference.size();
            double scale = 0;
            for (double x : exact) {
                scale = Math.max(scale, Math.abs(x));
            }
            CurvatureProbe probe = resolve(network, CurvatureProbe.class);
            double[] got = flatLinear(probe.diagonal(Estimator.HUTCHINSON, batches, vectors, 5));
            for (int i = 0; i < m; i++) {
                double offDiagonal = 0;
                for (int j = 0; j < m; j++) {
                    if (j != i) {
                        offDiagonal += exact[i * m + j] * exact[i * m + j];
                    }
                }
                double sigma = Math.sqrt(offDiagonal / vectors);
                assertThat(Math.abs(got[i] - exact[i * m + i])).as("Hutchinson [%d]: %s, exact %s, σ %s", i, got[i],
                        exact[i * m + i], sigma).isLessThanOrEqualTo(5 * sigma + 1e-4 * scale);
            }
            assertThat(flatLinear(probe.diagonal(Estimator.HUTCHINSON, batches, 30, 6))).as("same seed")
                    .containsExactly(flatLinear(probe.diagonal(Estimator.HUTCHINSON, batches, 30, 6)));
        }
    }

    // --------------------------------------------------------------------------------- layer inputs, activations

    /**
     * Activations of named layers, in evaluation mode, against a double-precision host forward of the tanh network
     * (the dropout layer's output equals its input).
     *
     * <p><b>Catches:</b> activations in training mode (dropout zeroes about half of {@code drop}'s output); the
     * output of the wrong layer (its input, or the next); a name that is silently ignored (it must be an error).
     *
     * <p><b>Tolerance</b> {@code 1e-5 + 1e-5·|x|}: float32 forward of values of order 1.
     */
    @Test
    public void activationsMatchAHostForward() {
        Split split = data(6, 17);
        Batch batch = batch(split, 0, 6);
        try (Network network = network(TANH, 9, 1.5)) {
            ActivationProbe probe = resolve(network, ActivationProbe.class);
            Map<String, Tensor> got = probe.activations(batch, Set.of("flat", "fc1", "act", "drop", "fc2"));
            Map<String, double[]> host = hostTanhForward(network.weights(), split.features(), 6);
            for (Map.Entry<String, double[]> e : host.entrySet()) {
                Tensor t = got.get(e.getKey());
                assertThat(t).as("activation of %s", e.getKey()).isNotNull();
                assertThat(t.shape().dim(0)).as("batch dimension of %s", e.getKey()).isEqualTo(6);
                double[] expected = e.getValue();
                assertThat(t.size()).as("size of %s", e.getKey()).isEqualTo(expected.length);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(Math.abs(t.data()[i] - expected[i])).as("%s[%d]", e.getKey(), i)
                            .isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(expected[i]));
                }
            }
            assertThatThrownBy(() -> probe.activations(batch, Set.of("no-such-layer")))
                    .isInstanceOf(BonsaiException.class).hasMessageContaining("no-such-layer");
        }
    }

    /**
     * Per-input-feature sums of squares and Gram matrices of the dense layers' inputs against a host computation:
     * {@code fc1}'s input is the flattened features, {@code fc2}'s is the tanh output (dropout being the identity
     * in evaluation), summed over every sample of two batches.
     *
     * <p><b>Catches:</b> the statistics of a layer's output instead of its input; the batch mean instead of the
     * sum; only the last batch counted; a Gram matrix transposed or of the wrong layer.
     *
     * <p><b>Tolerance</b> {@code 1e-4·|S| + 1e-5}: sums of float32 values of order 1 over 20 samples.
     */
    @Test
    public void layerInputStatisticsMatchAHostComputation() {
        Split split = data(20, 18);
        List<Batch> batches = List.of(batch(split, 0, 7), batch(split, 7, 20));
        try (Network network = network(TANH, 10, 1.5)) {
            LayerInputProbe probe = resolve(network, LayerInputProbe.class);
            Map<String, double[]> host = hostTanhForward(network.weights(), split.features(), 20);
            Map<String, double[]> inputs = Map.of("fc1.weight", host.get("flat"), "fc2.weight", host.get("drop"));
            Map<String, Tensor> squares = probe.inputSquareSums(batches);
            Map<String, Tensor> grams = probe.inputGram(batches, List.of("fc2.weight", "fc1.weight"));
            assertThat(squares.keySet()).containsExactlyInAnyOrder("fc1.weight", "fc2.weight");
            for (Map.Entry<String, double[]> e : inputs.entrySet()) {
                double[] x = e.getValue();
                int width = x.length / 20;
                double[] sq = new double[width];
                double[] gram = new double[width * width];
                for (int s = 0; s < 20; s++) {
                    for (int i = 0; i < width; i++) {
                        sq[i] += x[s * width + i] * x[s * width + i];
                        for (int j = 0; j < width; j++) {
                            gram[i * width + j] += x[s * width + i] * x[s * width + j];
                        }
                    }
                }
                Tensor gotSq = squares.get(e.getKey());
                Tensor gotGram = grams.get(e.getKey());
                assertThat(gotSq.shape()).isEqualTo(Shape.of(width));
                assertThat(gotGram.shape()).isEqualTo(Shape.of(width, width));
                for (int i = 0; i < width; i++) {
                    assertThat(Math.abs(gotSq.data()[i] - sq[i])).as("Σx² of %s [%d]", e.getKey(), i)
                            .isLessThanOrEqualTo(1e-4 * Math.abs(sq[i]) + 1e-5);
                }
                for (int i = 0; i < gram.length; i++) {
                    assertThat(Math.abs(gotGram.data()[i] - gram[i])).as("XᵀX of %s [%d]", e.getKey(), i)
                            .isLessThanOrEqualTo(1e-4 * Math.abs(gram[i]) + 1e-5);
                }
            }
        }
    }

    /**
     * Per-input mean and maximum of {@code |x|} and counts of {@code |x| > 0.5} of the dense and conv layers' inputs,
     * natively (where the engine has it) and through the core's generic path, against a host computation: on
     * {@link #TANH} ({@code fc1}'s input is the flattened features, {@code fc2}'s the tanh output), and on
     * {@link #CONV} ({@code conv}'s input rows are its im2col patches, feature (c, kh, kw), with the zero padding as
     * values; {@code fc}'s input is the flattened tanh of the conv output), over every sample of two batches.
     *
     * <p><b>Catches:</b> a layer's output instead of its input; the mean over batches instead of rows; padding left
     * out of a conv layer's rows (or counted as above the threshold); patch features in another order than the
     * weight's (c, kh, kw); a maximum or count of only the last batch; {@code x} instead of {@code |x|}.
     *
     * <p><b>Tolerance</b> {@code 1e-5 + 1e-5·|v|} for means and maxima (float32 values of order 1); a count may differ
     * from the host's only by values within 1e-4 of the threshold, where float32 and the host may round apart.
     */
    @Test
    public void layerInputMagnitudesMatchAHostComputation() {
        double threshold = 0.5;
        Split split = data(20, 21);
        List<Batch> batches = List.of(batch(split, 0, 7), batch(split, 7, 20));
        try (Network network = network(TANH, 12, 1.5)) {
            Map<String, double[]> host = hostTanhForward(network.weights(), split.features(), 20);
            Map<String, double[][]> rows = Map.of("fc1.weight", rows(host.get("flat"), 20),
                    "fc2.weight", rows(host.get("drop"), 20));
            for (boolean nativePath : new boolean[] {true, false}) {
                LayerInputMagnitudeProbe probe = nativePath ? resolve(network, LayerInputMagnitudeProbe.class)
                        : generic(network, LayerInputMagnitudeProbe.class);
                assertMagnitudes(probe.inputMagnitudes(batches, threshold), rows, threshold,
                        nativePath ? "resolved" : "generic");
            }
            LayerInputMagnitudeProbe probe = resolve(network, LayerInputMagnitudeProbe.class);
            assertThatThrownBy(() -> probe.inputMagnitudes(batches, -1)).isInstanceOf(BonsaiException.class)
                    .hasMessageContaining("-1");
            assertThatThrownBy(() -> probe.inputMagnitudes(List.of(), threshold))
                    .isInstanceOf(BonsaiException.class).hasMessageContaining("batch");
        }
        Split images = SyntheticData.random("probe-conv", 20, CONV.inputShape(), CLASSES, 22);
        List<Batch> imageBatches = List.of(batch(images, 0, 9), batch(images, 9, 20));
        try (Network network = network(CONV, 13, 1.5)) {
            Map<String, double[][]> rows = hostConvRows(network.weights(), images.features(), 20);
            for (boolean nativePath : new boolean[] {true, false}) {
                LayerInputMagnitudeProbe probe = nativePath ? resolve(network, LayerInputMagnitudeProbe.class)
                        : generic(network, LayerInputMagnitudeProbe.class);
                assertMagnitudes(probe.inputMagnitudes(imageBatches, threshold), rows, threshold,
                        nativePath ? "resolved" : "generic");
            }
        }
    }

    private static void assertMagnitudes(Map<String, LayerInputMagnitudeProbe.Magnitudes> got,
            Map<String, double[][]> rows, double threshold, String path) {
        assertThat(got.keySet()).as("%s: weights", path).containsExactlyInAnyOrderElementsOf(rows.keySet());
        for (Map.Entry<String, double[][]> e : rows.entrySet()) {
            double[][] x = e.getValue();
            int width = x[0].length;
            LayerInputMagnitudeProbe.Magnitudes m = got.get(e.getKey());
            assertThat(m.rows()).as("%s: rows of %s", path, e.getKey()).isEqualTo(x.length);
            assertThat(m.threshold()).isEqualTo(threshold);
            assertThat(m.meanAbs().shape()).as("%s: shape of %s", path, e.getKey()).isEqualTo(Shape.of(width));
            long[] counts = m.countAbove();
            for (int i = 0; i < width; i++) {
                double sum = 0;
                double max = 0;
                long surelyAbove = 0;
                long maybeAbove = 0;
                for (double[] row : x) {
                    double a = Math.abs(row[i]);
                    sum += a;
                    max = Math.max(max, a);
                    surelyAbove += a > threshold + 1e-4 ? 1 : 0;
                    maybeAbove += a > threshold - 1e-4 ? 1 : 0;
                }
                double mean = sum / x.length;
                assertThat(Math.abs(m.meanAbs().data()[i] - mean)).as("%s: mean |x| of %s [%d]", path, e.getKey(), i)
                        .isLessThanOrEqualTo(1e-5 + 1e-5 * mean);
                assertThat(Math.abs(m.maxAbs().data()[i] - max)).as("%s: max |x| of %s [%d]", path, e.getKey(), i)
                        .isLessThanOrEqualTo(1e-5 + 1e-5 * max);
                assertThat(counts[i]).as("%s: count |x| > %s of %s [%d]", path, threshold, e.getKey(), i)
                        .isBetween(surelyAbove, maybeAbove);
            }
        }
    }

    /** {@code n} rows of a row-major {@code [n, width]} array. */
    private static double[][] rows(double[] x, int n) {
        int width = x.length / n;
        double[][] out = new double[n][width];
        for (int s = 0; s < n; s++) {
            System.arraycopy(x, s * width, out[s], 0, width);
        }
        return out;
    }

    /**
     * The input rows of {@link #CONV}'s weights in double precision: {@code conv.weight}'s im2col patches (one per
     * sample and output pixel, zero padding included) and {@code fc.weight}'s flattened tanh of the conv output.
     */
    private static Map<String, double[][]> hostConvRows(Weights weights, float[] features, int n) {
        float[] w = weights.get("conv.weight").data();
        float[] b = weights.get("conv.bias").data();
        int channels = 2;
        int size = 5;
        int filters = 3;
        int out = 3;
        double[][] patches = new double[n * out * out][channels * 9];
        double[][] flat = new double[n][filters * out * out];
        for (int s = 0; s < n; s++) {
            for (int oh = 0; oh < out; oh++) {
                for (int ow = 0; ow < out; ow++) {
                    double[] patch = patches[(s * out + oh) * out + ow];
                    for (int c = 0; c < channels; c++) {
                        for (int kh = 0; kh < 3; kh++) {
                            for (int kw = 0; kw < 3; kw++) {
                                int ih = oh * 2 - 1 + kh;
                                int iw = ow * 2 - 1 + kw;
                                patch[(c * 3 + kh) * 3 + kw] = ih < 0 || ih >= size || iw < 0 || iw >= size ? 0
                                        : features[((s * channels + c) * size + ih) * size + iw];
                            }
                        }
                    }
                    for (int f = 0; f < filters; f++) {
                        double z = b[f];
                        for (int j = 0; j < patch.length; j++) {
                            z += (double) w[f * patch.length + j] * patch[j];
                        }
                        flat[s][(f * out + oh) * out + ow] = HostReference.activate(Activation.TANH, z);
                    }
                }
            }
        }
        return Map.of("conv.weight", patches, "fc.weight", flat);
    }

    // ------------------------------------------------------------------------------- native against generic

    /**
     * Where the engine has a native path, it agrees with the core's generic one: Hessian-vector products (on a
     * masked network, pruned coordinates included), and the curvature diagonals built on them (Hutchinson with
     * the same seed, hence the same vectors). Skipped for capabilities the engine does not provide natively.
     *
     * <p><b>Catches:</b> a native path with another loss normalisation or mode than the generic one; a generic
     * path that perturbs only unpruned coordinates (masks left on while perturbing).
     *
     * <p><b>Tolerance</b> {@code 3e-3·max + 1e-5}: the generic finite differences' error (class comment).
     */
    @Test
    public void nativeAndGenericPathsAgree() {
        Split split = data(24, 19);
        List<Batch> batches = List.of(batch(split, 0, 12), batch(split, 12, 24));
        try (Network network = network(TANH, 11, 1.5)) {
            network.applyMasks(halfMasks(network.spec(), 3));
            Optional<HessianVectorProbe> own = network.capability(HessianVectorProbe.class);
            Assumptions.assumeTrue(own.isPresent(), "the engine has no native Hessian-vector products");
            Weights v = randomDirection(network.spec(), 5);
            Weights a = own.get().hessianVector(v, batches);
            Weights b = generic(network, HessianVectorProbe.class).hessianVector(v, batches);
            double scale = maxAbs(a);
            assertThat(scale).isGreaterThan(1e-3);
            assertClose(b, a, 3e-3 * scale + 1e-5, "generic against native H·v");
            Weights hutchinson = resolve(network, CurvatureProbe.class).diagonal(Estimator.HUTCHINSON, batches, 20, 9);
            Weights hutchinsonGeneric = new GenericHutchinson(network).diagonal(batches, 20, 9);
            assertClose(hutchinsonGeneric, hutchinson, 3e-3 * maxAbs(hutchinson) + 1e-5, "Hutchinson");
            Optional<CurvatureProbe> ownCurvature = network.capability(CurvatureProbe.class);
            if (ownCurvature.isPresent()) {
                CurvatureProbe core = generic(network, CurvatureProbe.class);
                for (Estimator estimator : Estimator.values()) {
                    Weights x = ownCurvature.get().diagonal(estimator, batches, 30, 4);
                    Weights y = core.diagonal(estimator, batches, 30, 4);
                    assertClose(y, x, 1e-4 * maxAbs(x) + 1e-7, "generic against native " + estimator);
                }
            }
        }
    }

    /**
     * Where the engine computes squared per-sample gradients natively (a batch at once), they equal the sum of the
     * squares of its gradients of one sample at a time, on a masked network with dropout (evaluation mode) and
     * batches of unequal size. Skipped when the engine has no native path for the model.
     *
     * <p><b>Catches:</b> a native path that squares the batch gradient instead of each sample's, that scales by the
     * batch size (a mean instead of a sum), that runs in training mode, or that misses the biases.
     *
     * <p><b>Tolerance</b> {@code 1e-4·max + 1e-7}: the same float32 quantities summed in another order.
     */
    @Test
    public void nativeSquaredGradientsAreSumsOfPerSampleSquares() {
        Split split = data(20, 23);
        List<Batch> batches = List.of(batch(split, 0, 13), batch(split, 13, 20));
        try (Network network = network(TANH, 13, 1.5)) {
            network.applyMasks(halfMasks(network.spec(), 5));
            Optional<SquaredGradientProbe> own = network.capability(SquaredGradientProbe.class);
            Assumptions.assumeTrue(own.isPresent(), "the engine has no native squared per-sample gradients");
            Weights x = own.get().squaredGradientSum(batches);
            GradientProbe gradients = resolve(network, GradientProbe.class);
            Map<String, double[]> expected = new LinkedHashMap<>();
            for (Batch b : batches) {
                for (int i = 0; i < b.size(); i++) {
                    float[] f = new float[b.features().size() / b.size()];
                    System.arraycopy(b.features().data(), i * f.length, f, 0, f.length);
                    int[] dims = b.features().shape().dims();
                    dims[0] = 1;
                    Weights g = gradients.gradientSum(List.of(new Batch(new Tensor(Shape.of(dims), f),
                            new int[] {b.labels()[i]})));
                    g.asMap().forEach((name, t) -> {
                        double[] a = expected.computeIfAbsent(name, k -> new double[t.size()]);
                        for (int j = 0; j < a.length; j++) {
                            a[j] += (double) t.data()[j] * t.data()[j];
                        }
                    });
                }
            }
            assertThat(x.asMap().keySet()).isEqualTo(expected.keySet());
            double scale = maxAbs(x);
            assertThat(scale).isGreaterThan(1e-4);
            expected.forEach((name, a) -> {
                float[] got = x.get(name).data();
                for (int j = 0; j < a.length; j++) {
                    assertThat((double) got[j]).as("%s[%d]", name, j).isCloseTo(a[j],
                            org.assertj.core.data.Offset.offset(1e-4 * scale + 1e-7));
                }
            });
        }
    }

    /** Hutchinson over the generic Hessian-vector products, computed here as the documented estimator. */
    private final class GenericHutchinson {
        private final Network network;

        GenericHutchinson(Network network) {
            this.network = network;
        }

        Weights diagonal(List<Batch> batches, int samples, long seed) {
            HessianVectorProbe hvp = generic(network, HessianVectorProbe.class);
            SplittableRandom random = new SplittableRandom(seed);
            Map<String, double[]> acc = new LinkedHashMap<>();
            List<ParameterSpec> trainable = new ArrayList<>();
            for (ParameterSpec p : network.spec().parameters().values()) {
                if (p.role().trainable()) {
                    trainable.add(p);
                    acc.put(p.name(), new double[Math.toIntExact(p.size())]);
                }
            }
            for (int k = 0; k < samples; k++) {
                Map<String, Tensor> z = new LinkedHashMap<>();
                for (ParameterSpec p : trainable) {
                    float[] d = new float[Math.toIntExact(p.size())];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = random.nextBoolean() ? 1f : -1f;
                    }
                    z.put(p.name(), new Tensor(p.shape(), d));
                }
                Weights hz = hvp.hessianVector(new Weights(z), batches);
                for (ParameterSpec p : trainable) {
                    double[] a = acc.get(p.name());
                    for (int i = 0; i < a.length; i++) {
                        a[i] += (double) z.get(p.name()).data()[i] * hz.get(p.name()).data()[i] / samples;
                    }
                }
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (ParameterSpec p : trainable) {
                double[] a = acc.get(p.name());
                float[] d = new float[a.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) a[i];
                }
                out.put(p.name(), new Tensor(p.shape(), d));
            }
            return new Weights(out);
        }
    }

    /**
     * Every probe leaves the network as it found it: weights bit for bit, masks, and training afterwards identical
     * to training a network that was never probed.
     *
     * <p><b>Catches:</b> a finite-difference path that does not restore the weights or the masks; a double backward
     * that leaves graph-carrying or stale gradient buffers behind (the next training step then differs or fails).
     */
    @Test
    public void probesLeaveTheNetworkAsTheyFoundIt() {
        Split split = data(24, 20);
        List<Batch> batches = List.of(batch(split, 0, 12), batch(split, 12, 24));
        MaskSet masks = halfMasks(TANH, 4);
        try (Network probed = network(TANH, 12, 1.5); Network fresh = network(TANH, 12, 1.5)) {
            probed.applyMasks(masks);
            fresh.applyMasks(masks);
            Weights before = probed.weights();
            Weights v = randomDirection(TANH, 6);
            resolve(probed, GradientProbe.class).gradientSum(batches);
            resolve(probed, HessianVectorProbe.class).hessianVector(v, batches);
            generic(probed, HessianVectorProbe.class).hessianVector(v, batches);
            CurvatureProbe curvature = resolve(probed, CurvatureProbe.class);
            for (Estimator estimator : Estimator.values()) {
                curvature.diagonal(estimator, batches, 4, 1);
            }
            if (probed.capability(ActivationProbe.class).isPresent()) {
                resolve(probed, ActivationProbe.class).activations(batches.get(0), Set.of("act"));
                resolve(probed, LayerInputProbe.class).inputGram(batches, List.of("fc2.weight"));
            }
            assertThat(probed.weights().asMap()).as("weights after probing").isEqualTo(before.asMap());
            assertThat(probed.masks().asMap()).as("masks after probing").isEqualTo(masks.asMap());
            TrainingConfig config = new TrainingConfig(1, 8, new OptimizerSpec.Sgd(0.1, 0.9, false, 0),
                    new LrSchedule.Constant(), 0, List.of(new LossTerm.CrossEntropy(1)));
            TrainingPlan plan = new TrainingPlan(split, new BatchSampler(3), 0, config, Optional.empty());
            probed.train(plan, TrainingListener.NONE);
            fresh.train(plan, TrainingListener.NONE);
            assertThat(probed.weights().asMap()).as("training after probing").isEqualTo(fresh.weights().asMap());
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    /** Masks that prune every other element of every weight matrix (offset by {@code salt}). */
    protected static MaskSet halfMasks(ModelSpec spec, int salt) {
        Map<String, Mask> out = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters().values()) {
            if (p.role() == dev.bonsai.api.model.ParameterRole.WEIGHT) {
                BitSet kept = new BitSet();
                for (int i = 0; i < p.size(); i++) {
                    if ((i + salt) % 2 == 0) {
                        kept.set(i);
                    }
                }
                out.put(p.name(), new Mask(p.shape(), kept));
            }
        }
        return new MaskSet(out);
    }

    /** A seeded direction with entries in [-1, 1) for every trainable parameter. */
    protected static Weights randomDirection(ModelSpec spec, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters().values()) {
            if (p.role().trainable()) {
                float[] d = new float[Math.toIntExact(p.size())];
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) random.nextDouble(-1, 1);
                }
                out.put(p.name(), new Tensor(p.shape(), d));
            }
        }
        return new Weights(out);
    }

    /**
     * {@code (g(w + h v) − g(w − h v)) / 2h / batches} with the gradient probe, the masks lifted meanwhile, the
     * weights and masks restored after: the reference for Hessian-vector products.
     */
    private Weights finiteDifferenceHv(Network network, Weights v, List<Batch> batches, double relativeStep) {
        GradientProbe gradients = resolve(network, GradientProbe.class);
        Weights base = network.weights();
        MaskSet masks = network.masks();
        network.clearMasks();
        double h = relativeStep / maxAbs(v);
        Map<String, Tensor> up = new LinkedHashMap<>();
        Map<String, Tensor> down = new LinkedHashMap<>();
        Map<String, float[]> delta = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : v.asMap().entrySet()) {
            float[] w = base.get(e.getKey()).data();
            float[] u = new float[w.length];
            float[] d = new float[w.length];
            float[] step = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                u[i] = (float) (w[i] + h * e.getValue().data()[i]);
                d[i] = (float) (w[i] - h * e.getValue().data()[i]);
                step[i] = u[i] - d[i];
            }
            up.put(e.getKey(), new Tensor(e.getValue().shape(), u));
            down.put(e.getKey(), new Tensor(e.getValue().shape(), d));
            delta.put(e.getKey(), step);
        }
        network.loadWeights(new Weights(up));
        Weights plus = gradients.gradientSum(batches);
        network.loadWeights(new Weights(down));
        Weights minus = gradients.gradientSum(batches);
        network.loadWeights(base);
        network.applyMasks(masks);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : plus.asMap().keySet()) {
            float[] p = plus.get(name).data();
            float[] m = minus.get(name).data();
            float[] d = new float[p.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (((double) p[i] - m[i]) / (2 * h) / batches.size());
            }
            out.put(name, new Tensor(plus.get(name).shape(), d));
        }
        return new Weights(out);
    }

    /** The host forward of {@link #TANH} in double precision: each layer's output, {@code [n, ...]} row-major. */
    private static Map<String, double[]> hostTanhForward(Weights weights, float[] features, int n) {
        Map<String, double[]> out = new LinkedHashMap<>();
        double[] x = new double[n * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = features[i];
        }
        out.put("flat", x);
        double[] h = dense(weights, "fc1", x, n, 8, 4);
        out.put("fc1", h);
        double[] a = new double[h.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = HostReference.activate(Activation.TANH, h[i]);
        }
        out.put("act", a);
        out.put("drop", a);
        out.put("fc2", dense(weights, "fc2", a, n, 4, CLASSES));
        return out;
    }

    private static double[] dense(Weights weights, String layer, double[] x, int n, int in, int units) {
        float[] w = weights.get(layer + ".weight").data();
        float[] b = weights.get(layer + ".bias").data();
        double[] y = new double[n * units];
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < units; o++) {
                double sum = b[o];
                for (int k = 0; k < in; k++) {
                    sum += (double) w[o * in + k] * x[s * in + k];
                }
                y[s * units + o] = sum;
            }
        }
        return y;
    }

    /** The flattened parameters of {@link #LINEAR}, in {@link SoftmaxReference}'s order. */
    private static double[] flatLinear(Weights w) {
        float[] weight = w.get("fc.weight").data();
        float[] bias = w.get("fc.bias").data();
        double[] out = new double[weight.length + bias.length];
        for (int i = 0; i < weight.length; i++) {
            out[i] = weight[i];
        }
        for (int i = 0; i < bias.length; i++) {
            out[weight.length + i] = bias[i];
        }
        return out;
    }

    /** The parameters of {@link #LINEAR} from a flat vector in {@link SoftmaxReference}'s order. */
    private static Weights linearWeights(double[] flat) {
        int weight = flat.length - CLASSES;
        float[] w = new float[weight];
        float[] b = new float[CLASSES];
        for (int i = 0; i < weight; i++) {
            w[i] = (float) flat[i];
        }
        for (int i = 0; i < CLASSES; i++) {
            b[i] = (float) flat[weight + i];
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("fc.weight", new Tensor(Shape.of(CLASSES, weight / CLASSES), w));
        out.put("fc.bias", new Tensor(Shape.of(CLASSES), b));
        return new Weights(out);
    }

    private static double maxAbs(Weights w) {
        double m = 0;
        for (Tensor t : w.asMap().values()) {
            for (float x : t.data()) {
                m = Math.max(m, Math.abs(x));
            }
        }
        return m;
    }

    private static void assertClose(Weights got, Weights expected, double tolerance, String what) {
        assertThat(got.asMap().keySet()).as("%s: parameters", what).containsExactlyElementsOf(expected.asMap().keySet());
        for (Map.Entry<String, Tensor> e : expected.asMap().entrySet()) {
            float[] g = got.get(e.getKey()).data();
            float[] x = e.getValue().data();
            assertThat(g.length).as("%s: size of %s", what, e.getKey()).isEqualTo(x.length);
            for (int i = 0; i < x.length; i++) {
                assertThat((double) Math.abs(g[i] - x[i])).as("%s of %s[%d]: %s, expected %s", what, e.getKey(), i,
                        g[i], x[i]).isLessThanOrEqualTo(tolerance);
            }
        }
    }
}
