package dev.bonsai.engine.djl;

import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.LayerInputMagnitudeProbe;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Native {@link LayerInputMagnitudeProbe}: one forward pass per batch in evaluation mode, without a graph, with a tap
 * that reduces each dense and conv2d layer's input to its per-input sums of {@code |x|}, maxima and counts above the
 * threshold on the device, so only {@code [in]} vectors reach the host.
 *
 * <p>A layer's input is located as the core's generic path locates it: the output of the layer before it, the
 * batch's features for the first layer, the residual's input for the first layer of a residual body. A dense
 * layer's rows are its input vectors (the last dimension). A conv2d layer's rows are its im2col patches, feature
 * {@code (c, kh, kw)} of the patch at output pixel {@code (oh, ow)} being the zero-padded input at
 * {@code (c, oh·stride + kh, ow·stride + kw)}: each of the {@code k²} kernel offsets is a strided slice of the padded
 * input, reduced over samples and output pixels; padding zeros count as rows' values (in the mean's denominator,
 * never above a threshold {@code ≥ 0}).
 */
final class DjlLayerInputMagnitudes implements LayerInputMagnitudeProbe {
    private final DjlForwardPass pass;
    private final Map<String, Site> sites = new LinkedHashMap<>();
    private final List<String> unsupported = new ArrayList<>();
    private final Nd.Scope step = new Nd.Scope();

    DjlLayerInputMagnitudes(DjlForwardPass pass) {
        this.pass = Objects.requireNonNull(pass, "pass");
        ModelSpec spec = pass.spec();
        walk(spec.layers(), null, spec.inputShape());
        for (ParameterSpec p : spec.parameters(ParameterRole.WEIGHT)) {
            if (!sites.containsKey(p.name())) {
                unsupported.add(p.name());
            }
        }
    }

    /** Where a weight's input comes from: {@code source} is the previous layer's name, null for the features. */
    private record Site(LayerSpec layer, String source, Shape input, int features) {
    }

    private Shape walk(List<LayerSpec> layers, String source, Shape input) {
        String previous = source;
        Shape shape = input;
        for (LayerSpec layer : layers) {
            if (layer instanceof LayerSpec.Dense d) {
                sites.put(d.name() + ".weight", new Site(d, previous, shape, shape.dim(-1)));
            } else if (layer instanceof LayerSpec.Conv2d c) {
                sites.put(c.name() + ".weight", new Site(c, previous, shape, shape.dim(0) * c.kernel() * c.kernel()));
            } else if (layer instanceof LayerSpec.Residual r) {
                walk(r.body(), previous, shape);
            }
            shape = layer.outputShape(shape);
            previous = layer.name();
        }
        return shape;
    }

    @Override
    public Map<String, Magnitudes> inputMagnitudes(List<Batch> batches, double threshold) {
        Objects.requireNonNull(batches, "batches");
        if (!Double.isFinite(threshold) || threshold < 0) {
            throw new BonsaiException("input magnitudes count |x| above a threshold, which must be finite and >= 0;"
                    + " got " + threshold);
        }
        if (batches.isEmpty()) {
            throw new BonsaiException("input magnitudes need at least one calibration batch; got none");
        }
        if (!unsupported.isEmpty()) {
            throw new BonsaiException("engine djl's layer-input magnitudes cover the weights of dense and conv2d"
                    + " layers whose input is the model's input or a named layer's output; model '"
                    + pass.spec().name() + "' has " + unsupported + " outside that (covered: " + sites.keySet() + ")");
        }
        Map<String, Accumulator> acc = new LinkedHashMap<>();
        Map<String, List<String>> bySource = new LinkedHashMap<>();
        List<String> fromFeatures = new ArrayList<>();
        sites.forEach((name, site) -> {
            acc.put(name, new Accumulator(site));
            if (site.source() == null) {
                fromFeatures.add(name);
            } else {
                bySource.computeIfAbsent(site.source(), s -> new ArrayList<>()).add(name);
            }
        });
        boolean gradMode = JniUtils.isGradMode();
        PtNDArray limit = Nd.scalar(pass.manager(), threshold, DataType.FLOAT64, pass.device());
        try {
            JniUtils.setGradMode(false);
            for (Batch batch : batches) {
                if (!fromFeatures.isEmpty()) {
                    PtNDArray x = step.add(Nd.upload(pass.manager(), batch.features().data(),
                            new long[] {batch.features().size()}, pass.device()));
                    for (String name : fromFeatures) {
                        acc.get(name).add(x, batch.size(), limit);
                    }
                }
                if (!bySource.isEmpty()) {
                    Set<String> seen = new HashSet<>();
                    pass.forward(batch, false, (layer, array) -> {
                        List<String> targets = bySource.get(layer);
                        if (targets != null && seen.add(layer)) {
                            for (String name : targets) {
                                acc.get(name).add(array, batch.size(), limit);
                            }
                        }
                    });
                    if (!seen.containsAll(bySource.keySet())) {
                        Set<String> missing = new HashSet<>(bySource.keySet());
                        missing.removeAll(seen);
                        throw new BonsaiException("the forward pass of model '" + pass.spec().name()
                                + "' reported no output for layers " + missing + ", the inputs of "
                                + missing.stream().map(bySource::get).toList());
                    }
                }
                step.close();
                pass.release();
            }
            Map<String, Magnitudes> out = new LinkedHashMap<>();
            acc.forEach((name, a) -> out.put(name, a.result(threshold)));
            return out;
        } finally {
            step.close();
            pass.release();
            acc.values().forEach(Accumulator::close);
            limit.close();
            JniUtils.setGradMode(gradMode);
        }
    }

    /** The device sums of {@code |x|}, maxima and counts of one weight's inputs, {@code [features]} each. */
    private final class Accumulator implements AutoCloseable {
        private final Site site;
        private PtNDArray sum;
        private PtNDArray max;
        private PtNDArray count;
        private long rows;

        Accumulator(Site site) {
            this.site = site;
        }

        /** Adds the rows of one batch's input {@code x} ({@code n} samples), compared with {@code limit}. */
        void add(PtNDArray x, int n, PtNDArray limit) {
            long size = x.getShape().size();
            if (size != (long) n * site.input().size()) {
                throw new BonsaiException("the input of '" + site.layer().name() + "' has " + size + " values for "
                        + n + " samples, but the layer takes inputs of shape " + site.input() + " per sample");
            }
            PtNDArray a = step.add(JniUtils.abs(step.add(JniUtils.to(x, DataType.FLOAT64, pass.device()))));
            if (site.layer() instanceof LayerSpec.Conv2d c) {
                addConv(a, n, c, limit);
            } else {
                PtNDArray r = step.add(JniUtils.reshape(a, new long[] {-1, site.features()}));
                rows += size / site.features();
                accumulate(step.add(JniUtils.sum(r, new long[] {0}, false)), step.add(JniUtils.max(r, 0, false)),
                        step.add(JniUtils.sum(step.add(JniUtils.gt(r, limit)), new long[] {0}, false)));
            }
        }

        private void addConv(PtNDArray a, int n, LayerSpec.Conv2d conv, PtNDArray limit) {
            Shape in = site.input();
            Shape out = conv.outputShape(in);
            int k = conv.kernel();
            int s = conv.stride();
            int p = conv.padding();
            PtNDArray image = step.add(JniUtils.reshape(a, new long[] {n, in.dim(0), in.dim(1), in.dim(2)}));
            PtNDArray padded = p == 0 ? image : step.add(JniUtils.pad(image, new long[] {p, p, p, p}, 0));
            int offsets = k * k;
            PtNDArray[] sums = new PtNDArray[offsets];
            PtNDArray[] maxima = new PtNDArray[offsets];
            PtNDArray[] counts = new PtNDArray[offsets];
            long[] pixels = {0, 2, 3};
            for (int kh = 0; kh < k; kh++) {
                PtNDArray band = step.add(JniUtils.slice(padded, 2, kh, kh + (long) (out.dim(1) - 1) * s + 1, s));
                for (int kw = 0; kw < k; kw++) {
                    // [n, C, OH, OW]: the patches' feature (c, kh, kw) at every output pixel
                    PtNDArray x = step.add(JniUtils.slice(band, 3, kw, kw + (long) (out.dim(2) - 1) * s + 1, s));
                    int o = kh * k + kw;
                    sums[o] = step.add(JniUtils.sum(x, pixels, false));
                    maxima[o] = step.add(JniUtils.max(step.add(JniUtils.max(step.add(JniUtils.max(x, 3, false)), 2,
                            false)), 0, false));
                    counts[o] = step.add(JniUtils.sum(step.add(JniUtils.gt(x, limit)), pixels, false));
                }
            }
            rows += (long) n * out.dim(1) * out.dim(2);
            long[] features = {site.features()};
            // stacked [C, k²] is the row-major (c, kh, kw) order of the weight's [out, C, k, k] layout
            accumulate(step.add(JniUtils.reshape(step.add(JniUtils.stack(sums, 1)), features)),
                    step.add(JniUtils.reshape(step.add(JniUtils.stack(maxima, 1)), features)),
                    step.add(JniUtils.reshape(step.add(JniUtils.stack(counts, 1)), features)));
        }

        /** Folds one batch's {@code [features]} sums, maxima and counts (temporaries of the step) into the totals. */
        private void accumulate(PtNDArray batchSum, PtNDArray batchMax, PtNDArray batchCount) {
            PtNDArray c = step.add(JniUtils.to(batchCount, DataType.FLOAT64, pass.device()));
            if (sum == null) {
                sum = JniUtils.clone(batchSum);
                max = JniUtils.clone(batchMax);
                count = JniUtils.clone(c);
                return;
            }
            JniUtils.addi(sum, batchSum);
            JniUtils.addi(count, c);
            PtNDArray larger = JniUtils.max(max, batchMax);
            max.close();
            max = larger;
        }

        Magnitudes result(double threshold) {
            double[] sums = Nd.downloadDoubles(sum);
            double[] maxima = Nd.downloadDoubles(max);
            double[] counts = Nd.downloadDoubles(count);
            float[] mean = new float[sums.length];
            float[] largest = new float[sums.length];
            long[] above = new long[sums.length];
            for (int i = 0; i < sums.length; i++) {
                mean[i] = (float) (sums[i] / rows);
                largest[i] = (float) maxima[i];
                above[i] = Math.round(counts[i]);
            }
            Shape shape = Shape.of(sums.length);
            return new Magnitudes(rows, threshold, new Tensor(shape, mean), new Tensor(shape, largest), above);
        }

        @Override
        public void close() {
            for (PtNDArray t : new PtNDArray[] {sum, max, count}) {
                if (t != null) {
                    t.close();
                }
            }
        }
    }
}
