package dev.bonsai.engine.djl;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.CurvatureProbe;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Native {@link CurvatureProbe}. The estimators, their loss, normalisation and random streams are exactly those of
 * the core's generic {@code dev.bonsai.strategies.probes.GenericCurvature} (whose Javadoc is the specification), so
 * the two agree: the empirical Fisher and Gauss–Newton diagonals from the network's gradients of single-sample
 * batches (mean of squared per-sample gradients; Gauss–Newton with labels drawn from the model's softmax by
 * {@code new SplittableRandom(seed)}, one {@code nextDouble()} per position, first class whose cumulative
 * probability exceeds it), and Hutchinson's {@code (1/K) Σ z ⊙ Hz} with z from
 * {@code new SplittableRandom(seed).nextBoolean()} in parameter order. What is native is Hutchinson: all K products
 * come from one double-backward graph ({@link DjlHessianVector#products}), so the forward and first backward run
 * once, and the graph's unavoidable leak (see {@link DjlHessianVector}) happens once per estimate, not per vector.
 */
final class DjlCurvature implements CurvatureProbe {
    private final ModelSpec spec;
    private final GradientProbe gradients;
    private final Function<Batch, Tensor> logits;
    private final DjlHessianVector hvp;

    DjlCurvature(ModelSpec spec, GradientProbe gradients, Function<Batch, Tensor> logits, DjlHessianVector hvp) {
        this.spec = spec;
        this.gradients = gradients;
        this.logits = logits;
        this.hvp = hvp;
    }

    @Override
    public Weights diagonal(Estimator estimator, List<Batch> batches, int samples, long seed) {
        Objects.requireNonNull(estimator, "estimator");
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("a curvature estimate needs at least one batch");
        }
        return switch (estimator) {
            case EMPIRICAL_FISHER -> squaredGradients(batches, samples <= 0 ? total(batches)
                    : Math.min(samples, total(batches)), null);
            case GAUSS_NEWTON -> squaredGradients(batches, samples <= 0 ? total(batches) : samples,
                    new SplittableRandom(seed));
            case HUTCHINSON -> hutchinson(batches, samples, seed);
        };
    }

    private static int total(List<Batch> batches) {
        int n = 0;
        for (Batch b : batches) {
            n += b.size();
        }
        return n;
    }

    /** Mean of squared single-sample gradients over {@code draws}: true labels, or labels drawn when random. */
    private Weights squaredGradients(List<Batch> batches, int draws, SplittableRandom random) {
        int total = total(batches);
        Batch[] batchOf = new Batch[total];
        int[] indexIn = new int[total];
        float[][] logitsOf = new float[total][];
        int s = 0;
        int classes = spec.outputShape().dim(-1);
        for (Batch batch : batches) {
            float[] z = null;
            if (random != null) {
                Tensor t = logits.apply(batch);
                if (t.size() != batch.labels().length * classes) {
                    throw new BonsaiException("the Gauss–Newton estimate needs one class vector per label, but model '"
                            + spec.name() + "' gives " + t.shape() + " for " + batch.labels().length + " labels");
                }
                z = t.data();
            }
            for (int i = 0; i < batch.size(); i++, s++) {
                batchOf[s] = batch;
                indexIn[s] = i;
                logitsOf[s] = z;
            }
        }
        Map<String, double[]> acc = new LinkedHashMap<>();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        double[] p = new double[classes];
        for (int d = 0; d < draws; d++) {
            int k = d % total;
            Batch batch = batchOf[k];
            int i = indexIn[k];
            int per = batch.labelsPerSample();
            int[] labels = new int[per];
            if (random == null) {
                System.arraycopy(batch.labels(), i * per, labels, 0, per);
            } else {
                for (int t = 0; t < per; t++) {
                    labels[t] = sample(logitsOf[k], (i * per + t) * classes, classes, p, random.nextDouble());
                }
            }
            Tensor f = batch.features();
            int width = f.size() / batch.size();
            int[] dims = f.shape().dims();
            dims[0] = 1;
            float[] x = new float[width];
            System.arraycopy(f.data(), i * width, x, 0, width);
            Weights g = gradients.gradientSum(List.of(new Batch(new Tensor(Shape.of(dims), x), labels)));
            for (Map.Entry<String, Tensor> e : g.asMap().entrySet()) {
                float[] v = e.getValue().data();
                double[] a = acc.computeIfAbsent(e.getKey(), key -> new double[v.length]);
                shapes.putIfAbsent(e.getKey(), e.getValue().shape());
                for (int j = 0; j < v.length; j++) {
                    a[j] += (double) v[j] * v[j];
                }
            }
        }
        return scaled(acc, shapes, 1.0 / draws);
    }

    /** The first class whose cumulative softmax probability exceeds {@code u}. */
    private static int sample(float[] logits, int from, int classes, double[] p, double u) {
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
        if (samples <= 0) {
            throw new IllegalArgumentException("the HUTCHINSON estimate needs a positive number of samples (Rademacher"
                    + " vectors), got " + samples);
        }
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, double[]> acc = new LinkedHashMap<>();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters().values()) {
            if (p.role().trainable()) {
                acc.put(p.name(), new double[Math.toIntExact(p.size())]);
                shapes.put(p.name(), p.shape());
            }
        }
        hvp.products(batches, samples, k -> {
            Map<String, Tensor> z = new LinkedHashMap<>();
            for (Map.Entry<String, Shape> e : shapes.entrySet()) {
                float[] d = new float[Math.toIntExact(e.getValue().size())];
                for (int i = 0; i < d.length; i++) {
                    d[i] = random.nextBoolean() ? 1f : -1f;
                }
                z.put(e.getKey(), new Tensor(e.getValue(), d));
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
        return scaled(acc, shapes, 1.0 / samples);
    }

    private static Weights scaled(Map<String, double[]> acc, Map<String, Shape> shapes, double scale) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : acc.entrySet()) {
            double[] a = e.getValue();
            float[] d = new float[a.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (a[i] * scale);
            }
            out.put(e.getKey(), new Tensor(shapes.get(e.getKey()), d));
        }
        return new Weights(out);
    }
}
