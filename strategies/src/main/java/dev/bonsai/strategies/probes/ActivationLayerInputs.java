package dev.bonsai.strategies.probes;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.ActivationProbe;
import dev.bonsai.api.engine.LayerInputMagnitudeProbe;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.engine.Network;
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
import java.util.function.Function;

/**
 * Generic {@link LayerInputProbe} and {@link LayerInputMagnitudeProbe} from the engine's {@link ActivationProbe}: the input of a layer is the output of
 * the layer before it (as the activation probe gives it, in evaluation mode: after flatten, dropout as identity),
 * or the batch's features for the first layer; the first layer of a residual body takes the residual's input.
 *
 * <p><b>Rows.</b> A dense layer's input rows are its input vectors: one per sample, or one per position of a
 * {@code [T, D]} input (dense layers act on the last dimension). A conv2d layer's input rows are its im2col
 * patches: one per sample and output position, of {@code C·k·k} values ordered (channel, kernel row, kernel
 * column), matching the weight's {@code [out, C, k, k]} layout, with the zero padding included as zeros.
 *
 * <p><b>Normalisation.</b> Sums, not means: {@code inputSquareSums} is {@code Σ_rows x ⊙ x} and {@code inputGram}
 * is {@code Xᵀ X = Σ_rows x xᵀ}, over every row of every batch, accumulated in double precision.
 *
 * <p><b>Magnitudes.</b> {@code inputMagnitudes} takes the same rows: the mean of {@code |x|} over them (padding
 * zeros count as rows' values), the maximum, and the number of rows with {@code |x|} above the threshold.
 *
 * <p><b>Pretrained decoders.</b> In grouped-query attention ({@link LayerSpec.Attention}) the query, key and value
 * projections take the attention's input (in a {@link LayerSpec.DecoderBlock}, the output of its
 * {@code <block>.attn_norm}); the output projection takes the heads' outputs concatenated, which the activation
 * probe reports as {@code <attention>.heads} ({@code [T, heads·headDim]}). In a {@link LayerSpec.FeedForward} the
 * gate and up projections take the layer's input ({@code <block>.mlp_norm} in a block); the down projection takes
 * the hidden activation, reported as {@code <mlp>.hidden} ({@code [T, hidden]}). Every row is one position.
 *
 * <p>Weights whose inputs are not a named layer's output (the projections inside fused attention and transformer
 * blocks) are refused with a {@link BonsaiException} naming them.
 */
public final class ActivationLayerInputs implements LayerInputProbe, LayerInputMagnitudeProbe {
    private final Network network;
    private final ActivationProbe activations;
    private final Map<String, Site> sites = new LinkedHashMap<>();
    private final List<String> unsupported = new ArrayList<>();

    /** Layer-input statistics computed from {@code activations} of {@code network}. */
    public ActivationLayerInputs(Network network, ActivationProbe activations) {
        this.network = Objects.requireNonNull(network, "network");
        this.activations = Objects.requireNonNull(activations, "activations");
        ModelSpec spec = network.spec();
        walk(spec.layers(), null, spec.inputShape());
        Set<String> covered = new HashSet<>(sites.keySet());
        for (ParameterSpec p : spec.parameters(ParameterRole.WEIGHT)) {
            if (!covered.contains(p.name())) {
                unsupported.add(p.name());
            }
        }
    }

    /** Where a layer's input comes from: {@code source} is the previous layer's name, null for the features. */
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
            } else if (layer instanceof LayerSpec.Attention a) {
                attentionSites(a, previous, shape);
            } else if (layer instanceof LayerSpec.FeedForward m) {
                feedForwardSites(m, previous, shape);
            } else if (layer instanceof LayerSpec.DecoderBlock b) {
                attentionSites(b.attention(), b.name() + ".attn_norm", shape);
                feedForwardSites(b.mlp(), b.name() + ".mlp_norm", shape);
            }
            shape = layer.outputShape(shape);
            previous = layer.name();
        }
        return shape;
    }

    private void attentionSites(LayerSpec.Attention a, String source, Shape shape) {
        for (String projection : List.of("q", "k", "v")) {
            sites.put(a.name() + "." + projection + ".weight", new Site(a, source, shape, shape.dim(-1)));
        }
        int inner = a.heads() * a.headDim();
        sites.put(a.name() + ".o.weight", new Site(a, a.name() + ".heads", shape.withLast(inner), inner));
    }

    private void feedForwardSites(LayerSpec.FeedForward m, String source, Shape shape) {
        if (m.gated()) {
            sites.put(m.name() + ".gate.weight", new Site(m, source, shape, shape.dim(-1)));
        }
        sites.put(m.name() + ".up.weight", new Site(m, source, shape, shape.dim(-1)));
        sites.put(m.name() + ".down.weight", new Site(m, m.name() + ".hidden", shape.withLast(m.hidden()),
                m.hidden()));
    }

    @Override
    public Map<String, Tensor> inputSquareSums(List<Batch> batches) {
        if (!unsupported.isEmpty()) {
            throw refuse(unsupported);
        }
        List<String> names = new ArrayList<>(sites.keySet());
        Map<String, Squares> sums = accumulate(batches, names, name -> new Squares(sites.get(name).features()));
        Map<String, Tensor> out = new LinkedHashMap<>();
        sums.forEach((name, s) -> out.put(name, s.result()));
        return out;
    }

    @Override
    public Map<String, Tensor> inputGram(List<Batch> batches, List<String> weightNames) {
        List<String> bad = new ArrayList<>();
        for (String name : weightNames) {
            if (!sites.containsKey(name)) {
                bad.add(name);
            }
        }
        if (!bad.isEmpty()) {
            throw refuse(bad);
        }
        Map<String, Gram> grams = accumulate(batches, weightNames, name -> new Gram(sites.get(name).features()));
        Map<String, Tensor> out = new LinkedHashMap<>();
        grams.forEach((name, g) -> out.put(name, g.result()));
        return out;
    }

    @Override
    public Map<String, Magnitudes> inputMagnitudes(List<Batch> batches, double threshold) {
        InputMagnitudes.check(batches, threshold);
        if (!unsupported.isEmpty()) {
            throw refuse(unsupported);
        }
        List<String> names = new ArrayList<>(sites.keySet());
        Map<String, InputMagnitudes> acc = accumulate(batches, names,
                name -> new InputMagnitudes(sites.get(name).features(), threshold));
        Map<String, Magnitudes> out = new LinkedHashMap<>();
        acc.forEach((name, m) -> out.put(name, m.result()));
        return out;
    }

    private BonsaiException refuse(List<String> names) {
        return new BonsaiException("the generic layer-input statistics cover the weights of dense and conv2d layers"
                + " whose input is the model's input or a named layer's output, and of grouped-query attention and"
                + " feed-forward layers; model '" + network.spec().name()
                + "' has " + names + " outside that (the weights it covers: " + sites.keySet() + ")");
    }

    /** Feeds every input row of every batch of each named weight to that weight's sink. */
    private <S extends RowSink> Map<String, S> accumulate(List<Batch> batches, List<String> names,
            Function<String, S> sinkOf) {
        Map<String, S> acc = new LinkedHashMap<>();
        Set<String> sources = new HashSet<>();
        for (String name : names) {
            Site site = sites.get(name);
            acc.put(name, sinkOf.apply(name));
            if (site.source() != null) {
                sources.add(site.source());
            }
        }
        for (Batch batch : batches) {
            Map<String, Tensor> outputs = sources.isEmpty() ? Map.of() : activations.activations(batch, sources);
            for (String name : names) {
                Site site = sites.get(name);
                Tensor x = site.source() == null ? batch.features() : outputs.get(site.source());
                if (x == null) {
                    throw new BonsaiException("the activation probe of " + network + " gave no output for layer '"
                            + site.source() + "', the input of '" + name + "'");
                }
                if (x.size() != (long) batch.size() * site.input().size()) {
                    throw new BonsaiException("the activation probe of " + network + " gave " + x.shape()
                            + " for layer '" + site.source() + "' but '" + name + "' takes inputs of shape "
                            + site.input() + " per sample");
                }
                RowSink sink = acc.get(name);
                if (site.layer() instanceof LayerSpec.Conv2d c) {
                    patches(sink, x.data(), batch.size(), site.input(), c);
                } else {
                    int width = site.features();
                    for (int r = 0, rows = x.size() / width; r < rows; r++) {
                        sink.row(x.data(), r * width);
                    }
                }
            }
        }
        return acc;
    }

    /** Feeds the im2col patches of {@code n} samples of shape {@code [C, H, W]} to {@code sink}. */
    private static void patches(RowSink sink, float[] x, int n, Shape input, LayerSpec.Conv2d conv) {
        int channels = input.dim(0);
        int height = input.dim(1);
        int width = input.dim(2);
        int k = conv.kernel();
        Shape out = conv.outputShape(input);
        float[] patch = new float[channels * k * k];
        for (int s = 0; s < n; s++) {
            int sample = s * channels * height * width;
            for (int oh = 0; oh < out.dim(1); oh++) {
                for (int ow = 0; ow < out.dim(2); ow++) {
                    int f = 0;
                    for (int c = 0; c < channels; c++) {
                        for (int kh = 0; kh < k; kh++) {
                            int ih = oh * conv.stride() - conv.padding() + kh;
                            for (int kw = 0; kw < k; kw++, f++) {
                                int iw = ow * conv.stride() - conv.padding() + kw;
                                patch[f] = ih < 0 || ih >= height || iw < 0 || iw >= width ? 0
                                        : x[sample + (c * height + ih) * width + iw];
                            }
                        }
                    }
                    sink.row(patch, 0);
                }
            }
        }
    }

    /** Takes input rows of one weight, one at a time. */
    private interface RowSink {
        /** Adds the row of the sink's width that starts at {@code x[from]}. */
        void row(float[] x, int from);
    }

    /** {@code Σ_rows x ⊙ x} in double precision. */
    private static final class Squares implements RowSink {
        private final double[] sums;

        Squares(int width) {
            sums = new double[width];
        }

        @Override
        public void row(float[] x, int from) {
            for (int i = 0; i < sums.length; i++) {
                double xi = x[from + i];
                sums[i] += xi * xi;
            }
        }

        Tensor result() {
            return new Tensor(Shape.of(sums.length), toFloats(sums));
        }
    }

    /** {@code Σ_rows x xᵀ} in double precision. */
    private static final class Gram implements RowSink {
        private final int width;
        private final double[] sums;

        Gram(int width) {
            this.width = width;
            this.sums = new double[width * width];
        }

        @Override
        public void row(float[] x, int from) {
            for (int i = 0; i < width; i++) {
                double xi = x[from + i];
                if (xi == 0) {
                    continue;
                }
                int row = i * width;
                for (int j = 0; j < width; j++) {
                    sums[row + j] += xi * x[from + j];
                }
            }
        }

        Tensor result() {
            return new Tensor(Shape.of(width, width), toFloats(sums));
        }
    }

    /** Mean and maximum of {@code |x|} and the count above a threshold, per input. */
    private static final class InputMagnitudes implements RowSink {
        private final double threshold;
        private final double[] sums;
        private final float[] max;
        private final long[] above;
        private long rows;

        InputMagnitudes(int width, double threshold) {
            this.threshold = threshold;
            this.sums = new double[width];
            this.max = new float[width];
            this.above = new long[width];
        }

        static void check(List<Batch> batches, double threshold) {
            if (!Double.isFinite(threshold) || threshold < 0) {
                throw new BonsaiException("input magnitudes count |x| above a threshold, which must be finite and"
                        + " >= 0; got " + threshold);
            }
            if (batches.isEmpty()) {
                throw new BonsaiException("input magnitudes need at least one calibration batch; got none (declare"
                        + " Requirement.CALIBRATION_DATA, or pass batches)");
            }
        }

        @Override
        public void row(float[] x, int from) {
            rows++;
            for (int i = 0; i < sums.length; i++) {
                float a = Math.abs(x[from + i]);
                sums[i] += a;
                if (a > max[i]) {
                    max[i] = a;
                }
                if (a > threshold) {
                    above[i]++;
                }
            }
        }

        Magnitudes result() {
            double[] mean = new double[sums.length];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = sums[i] / rows;
            }
            return new Magnitudes(rows, threshold, new Tensor(Shape.of(mean.length), toFloats(mean)),
                    new Tensor(Shape.of(max.length), max.clone()), above);
        }
    }

    private static float[] toFloats(double[] a) {
        float[] d = new float[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) a[i];
        }
        return d;
    }
}
