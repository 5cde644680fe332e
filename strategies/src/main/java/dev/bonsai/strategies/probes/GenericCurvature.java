package dev.bonsai.strategies.probes;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.CurvatureProbe;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.SquaredGradientProbe;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Generic {@link CurvatureProbe}: diagonal curvature from per-sample gradients (Fisher, Gauss–Newton) or from
 * Hessian-vector products (Hutchinson). The loss is the cross-entropy of the logits in evaluation mode; a sample's
 * loss is the mean over its labels (one for a classifier, T for a sequence). Every estimate covers the trainable
 * parameters, pruned coordinates included.
 *
 * <ul>
 * <li>{@link Estimator#EMPIRICAL_FISHER}: {@code (1/S) Σₛ gₛ ⊙ gₛ}, with {@code gₛ} the gradient of sample s's loss at
 * its true labels (the gradient probe on a batch of that one sample). S is the first {@code samples} samples of
 * the batches in order, or all of them when {@code samples ≤ 0} or more than there are. Deterministic; the seed is
 * not used.</li>
 * <li>{@link Estimator#GAUSS_NEWTON} (Monte-Carlo Fisher): {@code (1/D) Σ_d g_d ⊙ g_d} over D = {@code samples}
 * draws ({@code ≤ 0}: one per sample). Draw d takes sample {@code d mod N} (N samples over the batches, in order)
 * and labels sampled from the model's own softmax of its logits ({@link Network#logits}); its expectation over the
 * labels is {@code (1/N) Σₙ Σ_y p(y|xₙ) g_{n,y} ⊙ g_{n,y}}, the diagonal of the Gauss–Newton matrix of the
 * cross-entropy. Labels are drawn with {@code new SplittableRandom(seed)}: for each draw, for each position,
 * {@code u = nextDouble()} and the label is the first class whose cumulative probability (in double precision)
 * exceeds u.</li>
 * <li>{@link Estimator#HUTCHINSON}: {@code (1/K) Σ_k z_k ⊙ H z_k} over K = {@code samples} Rademacher vectors
 * (K must be positive), with H the Hessian of the mean over {@code batches} of each batch's mean loss (as
 * {@link HessianVectorProbe}). The entries of z are ±1 from {@code new SplittableRandom(seed).nextBoolean()},
 * parameter by parameter in model order, row-major. Unbiased for the Hessian's diagonal, with variance
 * {@code Σ_{j≠i} H_ij² / K} in coordinate i.</li>
 * </ul>
 *
 * <p>These estimators are written here once, for every engine. What an engine contributes are the primitives:
 * {@link SquaredGradientProbe} (Fisher, Gauss–Newton: the squared per-sample gradients of a batch at once, instead of
 * one gradient per sample) and {@link HessianVectorProbe#hessianVectors} (Hutchinson: all products on one graph).
 * Samples and draws are handed to the squared-gradient probe in batches of the calibration batches' sizes, in
 * order, so the labels drawn do not depend on which path computes the squares.
 */
public final class GenericCurvature implements CurvatureProbe {
    private final Network network;
    private final SquaredGradientProbe squares;
    private final HessianVectorProbe hvp;

    /**
     * The generic estimates, with the squared per-sample gradients from the engine's native
     * {@link SquaredGradientProbe} when it has one, else from {@code gradients} one sample at a time.
     *
     * @param network   the network
     * @param gradients its gradient probe, or null when it has none (then only Hutchinson works)
     * @param hvp       its Hessian-vector products, native or generic, or null (then Hutchinson does not work)
     */
    public GenericCurvature(Network network, GradientProbe gradients, HessianVectorProbe hvp) {
        this.network = Objects.requireNonNull(network, "network");
        this.squares = network.capability(SquaredGradientProbe.class)
                .orElse(gradients == null ? null : new PerSampleSquaredGradients(gradients));
        this.hvp = hvp;
    }

    @Override
    public Weights diagonal(Estimator estimator, List<Batch> batches, int samples, long seed) {
        Objects.requireNonNull(estimator, "estimator");
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("a curvature estimate needs at least one batch");
        }
        return switch (estimator) {
            case EMPIRICAL_FISHER -> empiricalFisher(batches, samples);
            case GAUSS_NEWTON -> gaussNewton(batches, samples, seed);
            case HUTCHINSON -> hutchinson(batches, samples, seed);
        };
    }

    private SquaredGradientProbe squares(Estimator estimator) {
        if (squares == null) {
            throw new BonsaiException("the " + estimator + " estimate needs GradientProbe, which the engine of "
                    + network + " does not provide; use the HUTCHINSON estimator or another engine");
        }
        return squares;
    }

    private Weights empiricalFisher(List<Batch> batches, int samples) {
        SquaredGradientProbe probe = squares(Estimator.EMPIRICAL_FISHER);
        int total = ProbeMath.samples(batches);
        int count = samples <= 0 ? total : Math.min(samples, total);
        List<Batch> chunks = new ArrayList<>();
        int left = count;
        for (Batch batch : batches) {
            if (left == 0) {
                break;
            }
            int n = Math.min(left, batch.size());
            int per = batch.labelsPerSample();
            int[] labels = new int[n * per];
            System.arraycopy(batch.labels(), 0, labels, 0, labels.length);
            chunks.add(n == batch.size() ? batch : ProbeMath.rows(batch, 0, n, labels));
            left -= n;
        }
        Weights sum = probe.squaredGradientSum(chunks);
        Map<String, double[]> acc = ProbeMath.accumulators(sum);
        ProbeMath.add(acc, sum, 1);
        return ProbeMath.toWeights(acc, sum, 1.0 / count);
    }

    /**
     * Draws d = 0, 1, … take samples d mod N in order; each pass over the samples is one call of the squared-gradient
     * probe, with one batch per calibration batch (or its first samples, in the last pass).
     */
    private Weights gaussNewton(List<Batch> batches, int samples, long seed) {
        SquaredGradientProbe probe = squares(Estimator.GAUSS_NEWTON);
        int total = ProbeMath.samples(batches);
        int draws = samples <= 0 ? total : samples;
        List<float[]> logitsOf = new ArrayList<>();
        int classes = -1;
        for (Batch batch : batches) {
            Tensor logits = network.logits(batch);
            int c = logits.shape().dim(-1);
            if (logits.size() != batch.labels().length * c) {
                throw new BonsaiException("the Gauss–Newton estimate needs logits of one class vector per label, but "
                        + "model '" + network.spec().name() + "' gives " + logits.shape() + " for a batch of "
                        + batch.size() + " samples with " + batch.labelsPerSample() + " labels each");
            }
            classes = c;
            logitsOf.add(logits.data());
        }
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, double[]> acc = null;
        Weights shapes = null;
        double[] p = new double[classes];
        for (int done = 0; done < draws; ) {
            List<Batch> pass = new ArrayList<>();
            for (int b = 0; b < batches.size() && done < draws; b++) {
                Batch batch = batches.get(b);
                int n = Math.min(batch.size(), draws - done);
                int per = batch.labelsPerSample();
                int[] labels = new int[n * per];
                float[] logits = logitsOf.get(b);
                for (int i = 0; i < n; i++) {
                    for (int t = 0; t < per; t++) {
                        labels[i * per + t] = sample(logits, (i * per + t) * classes, classes, p, random.nextDouble());
                    }
                }
                pass.add(ProbeMath.rows(batch, 0, n, labels));
                done += n;
            }
            Weights sum = probe.squaredGradientSum(pass);
            if (acc == null) {
                acc = ProbeMath.accumulators(sum);
                shapes = sum;
            }
            ProbeMath.add(acc, sum, 1);
        }
        return ProbeMath.toWeights(acc, shapes, 1.0 / draws);
    }

    /** The first class whose cumulative softmax probability exceeds {@code u}. */
    static int sample(float[] logits, int from, int classes, double[] p, double u) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits[from + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            p[c] = Math.exp(logits[from + c] - max);
            sum += p[c];
        }
        double cumulative = 0;
        for (int c = 0; c < classes; c++) {
            cumulative += p[c] / sum;
            if (u < cumulative) {
                return c;
            }
        }
        return classes - 1;
    }

    private Weights hutchinson(List<Batch> batches, int samples, long seed) {
        if (hvp == null) {
            throw new BonsaiException("the HUTCHINSON estimate needs HessianVectorProbe, which the engine of "
                    + network + " cannot provide (it has neither Hessian-vector products nor gradients)");
        }
        if (samples <= 0) {
            throw new IllegalArgumentException("the HUTCHINSON estimate needs a positive number of samples (Rademacher"
                    + " vectors), got " + samples);
        }
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, double[]> acc = new LinkedHashMap<>();
        Map<String, Tensor> shapes = new LinkedHashMap<>();
        for (ParameterSpec p : network.spec().parameters().values()) {
            if (p.role().trainable()) {
                acc.put(p.name(), new double[Math.toIntExact(p.size())]);
                shapes.put(p.name(), Tensor.zeros(p.shape()));
            }
        }
        hvp.hessianVectors(batches, samples, k -> {
            Map<String, Tensor> z = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : shapes.entrySet()) {
                float[] d = new float[e.getValue().size()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = random.nextBoolean() ? 1f : -1f;
                }
                z.put(e.getKey(), new Tensor(e.getValue().shape(), d));
            }
            return new Weights(z);
        }, (z, hz) -> {
            for (Map.Entry<String, double[]> e : acc.entrySet()) {
                float[] zi = z.get(e.getKey()).data();
                float[] hi = hz.get(e.getKey()).data();
                double[] a = e.getValue();
                for (int i = 0; i < a.length; i++) {
                    a[i] += (double) zi[i] * hi[i];
                }
            }
        });
        return ProbeMath.toWeights(acc, new Weights(shapes), 1.0 / samples);
    }
}
