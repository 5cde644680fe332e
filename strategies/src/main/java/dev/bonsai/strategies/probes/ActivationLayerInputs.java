package dev.bonsai.strategies.probes;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.ActivationProbe;
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

/**
 * Generic {@link LayerInputProbe} from the engine's {@link ActivationProbe}: the input of a layer is the output of
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
 * <p>Weights whose inputs are not a named layer's output (the projections inside attention and transformer
 * blocks) are refused with a {@link BonsaiException} naming them.
 */
public final class ActivationLayerInputs implements LayerInputProbe {
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
            }
            shape = layer.outputShape(shape);
            previous = layer.name();
        }
        return shape;
    }

    @Override
    public Map<String, Tensor> inputSquareSums(List<Batch> batches) {
        if (!unsupported.isEmpty()) {
            throw refuse(unsupported);
        }
        return compute(batches, new ArrayList<>(sites.keySet()), false);
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
        return compute(batches, weightNames, true);
    }

    private BonsaiException refuse(List<String> names) {
        return new BonsaiException("the generic layer-input statistics cover the weights of dense and conv2d layers"
                + " whose input is the model's input or a named layer's output; model '" + network.spec().name()
                + "' has " + names + " outside that (the weights it covers: " + sites.keySet() + ")");
    }

    private Map<String, Tensor> compute(List<Batch> batches, List<String> names, boolean gram) {
        Map<String, double[]> acc = new LinkedHashMap<>();
        Set<String> sources = new HashSet<>();
        for (String name : names) {
            Site site = sites.get(name);
            acc.put(name, new double[gram ? site.features() * site.features() : site.features()]);
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
                double[] a = acc.get(name);
                if (site.layer() instanceof LayerSpec.Conv2d c) {
                    accumulateConv(a, x.data(), batch.size(), site.input(), c, gram);
                } else {
                    accumulateRows(a, x.data(), 0, x.size() / site.features(), site.features(), gram);
                }
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : names) {
            int f = sites.get(name).features();
            double[] a = acc.get(name);
            float[] d = new float[a.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) a[i];
            }
            out.put(name, new Tensor(gram ? Shape.of(f, f) : Shape.of(f), d));
        }
        return out;
    }

    /** Adds {@code rows} rows of {@code width} values from {@code x[from..]}: squares or outer products. */
    private static void accumulateRows(double[] acc, float[] x, int from, int rows, int width, boolean gram) {
        for (int r = 0; r < rows; r++) {
            int base = from + r * width;
            if (gram) {
                for (int i = 0; i < width; i++) {
                    double xi = x[base + i];
                    if (xi == 0) {
                        continue;
                    }
                    int row = i * width;
                    for (int j = 0; j < width; j++) {
                        acc[row + j] += xi * x[base + j];
                    }
                }
            } else {
                for (int i = 0; i < width; i++) {
                    double xi = x[base + i];
                    acc[i] += xi * xi;
                }
            }
        }
    }

    /** Adds the im2col patches of {@code n} samples of shape {@code [C, H, W]}. */
    private static void accumulateConv(double[] acc, float[] x, int n, Shape input, LayerSpec.Conv2d conv,
            boolean gram) {
        int channels = input.dim(0);
        int height = input.dim(1);
        int width = input.dim(2);
        int k = conv.kernel();
        Shape out = conv.outputShape(input);
        int features = channels * k * k;
        float[] patch = new float[features];
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
                    accumulateRows(acc, patch, 0, 1, features, gram);
                }
            }
        }
    }
}
