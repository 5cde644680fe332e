package dev.bonsai.strategies.probes;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small host computations shared by the generic probes; accumulations are in double precision. */
final class ProbeMath {
    private ProbeMath() {
    }

    /** Double accumulators shaped as {@code like}, by name in its order. */
    static Map<String, double[]> accumulators(Weights like) {
        Map<String, double[]> out = new LinkedHashMap<>();
        like.asMap().forEach((name, t) -> out.put(name, new double[t.size()]));
        return out;
    }

    /** {@code acc += scale · t} for every tensor of {@code w} that {@code acc} has (and adds missing ones). */
    static void add(Map<String, double[]> acc, Weights w, double scale) {
        for (Map.Entry<String, Tensor> e : w.asMap().entrySet()) {
            float[] d = e.getValue().data();
            double[] a = acc.computeIfAbsent(e.getKey(), k -> new double[d.length]);
            for (int i = 0; i < d.length; i++) {
                a[i] += scale * d[i];
            }
        }
    }

    /** {@code acc += t ⊙ t}. */
    static void addSquares(Map<String, double[]> acc, Weights w) {
        for (Map.Entry<String, Tensor> e : w.asMap().entrySet()) {
            float[] d = e.getValue().data();
            double[] a = acc.computeIfAbsent(e.getKey(), k -> new double[d.length]);
            for (int i = 0; i < d.length; i++) {
                a[i] += (double) d[i] * d[i];
            }
        }
    }

    /** The accumulators times {@code scale}, as float tensors shaped as in {@code shapes}. */
    static Weights toWeights(Map<String, double[]> acc, Weights shapes, double scale) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : acc.entrySet()) {
            double[] a = e.getValue();
            float[] d = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                d[i] = (float) (a[i] * scale);
            }
            out.put(e.getKey(), new Tensor(shapes.get(e.getKey()).shape(), d));
        }
        return new Weights(out);
    }

    /** The largest absolute element over all tensors. */
    static double maxAbs(Weights w) {
        double m = 0;
        for (Tensor t : w.asMap().values()) {
            for (float v : t.data()) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    /** The number of samples over all batches. */
    static int samples(List<Batch> batches) {
        int n = 0;
        for (Batch b : batches) {
            n += b.size();
        }
        return n;
    }

    /** Sample {@code i} of {@code batch} as a batch of one, with {@code labels} (one per position). */
    static Batch single(Batch batch, int i, int[] labels) {
        Tensor f = batch.features();
        int[] dims = f.shape().dims();
        int per = f.size() / dims[0];
        dims[0] = 1;
        float[] x = new float[per];
        System.arraycopy(f.data(), i * per, x, 0, per);
        return new Batch(new Tensor(Shape.of(dims), x), labels);
    }

    /** Samples {@code [from, to)} of {@code batch} as a batch, with {@code labels} (one per position per sample). */
    static Batch rows(Batch batch, int from, int to, int[] labels) {
        Tensor f = batch.features();
        int[] dims = f.shape().dims();
        int per = f.size() / dims[0];
        dims[0] = to - from;
        float[] x = new float[(to - from) * per];
        System.arraycopy(f.data(), from * per, x, 0, x.length);
        return new Batch(new Tensor(Shape.of(dims), x), labels);
    }

    /** The labels of sample {@code i} of {@code batch}. */
    static int[] labels(Batch batch, int i) {
        int per = batch.labelsPerSample();
        int[] out = new int[per];
        System.arraycopy(batch.labels(), i * per, out, 0, per);
        return out;
    }
}
