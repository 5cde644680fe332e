package dev.bonsai.testkit.strategy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.ActivationProbe;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.CurvatureProbe;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.engine.LayerInputMagnitudeProbe;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.engine.MovementProbe;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.Requirement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A pruning context for strategy tests: a small dense model ({@code 8 → 6 → 5 → 3}, with biases, which are not
 * prunable), weights and calibration batches drawn from a seed, and deterministic stand-in probes for every
 * {@link Requirement}. It offers only what it was built with: asking for anything else throws a
 * {@link BonsaiException}, as a host without that capability would, and is recorded in
 * {@link #undeclaredRequests()}.
 *
 * <p>The stand-in probes are not the derivatives of any loss: they are fixed, finite, deterministic functions of the
 * weights and batches (a symmetric positive-definite "Hessian", for instance), enough to check a strategy's
 * contract. Check a strategy's mathematics against a real engine, or with a context of your own.
 */
public final class StrategyTestContext implements PruningContext {
    private static final ModelSpec SPEC = new ModelSpec("contract-mlp", Shape.of(8), List.of(
            new LayerSpec.Dense("fc1", 6, true), new LayerSpec.Dense("fc2", 5, true),
            new LayerSpec.Dense("fc3", 3, true)));

    private final long seed;
    private final Set<Requirement> offered;
    private final Weights weights;
    private final List<Batch> calibration;
    private final Set<Class<?>> requested = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<Class<?>> undeclared = Collections.synchronizedSet(new LinkedHashSet<>());

    private StrategyTestContext(long seed, Set<Requirement> offered) {
        this.seed = seed;
        this.offered = offered.isEmpty() ? EnumSet.noneOf(Requirement.class) : EnumSet.copyOf(offered);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (ParameterSpec p : SPEC.parameters().values()) {
            float[] data = new float[Math.toIntExact(p.size())];
            double scale = 1 / Math.sqrt(p.fanIn());
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
            }
            w.put(p.name(), new Tensor(p.shape(), data));
        }
        this.weights = new Weights(w);
        List<Batch> batches = new ArrayList<>();
        if (this.offered.contains(Requirement.CALIBRATION_DATA)) {
            for (int b = 0; b < 2; b++) {
                int n = 4;
                float[] x = new float[n * 8];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = random.nextInt(3);
                }
                batches.add(new Batch(new Tensor(Shape.of(n, 8), x), labels));
            }
        }
        this.calibration = List.copyOf(batches);
    }

    /**
     * A context from {@code seed} that offers exactly {@code offered}: calibration batches when it holds
     * {@link Requirement#CALIBRATION_DATA}, and the probe of each capability requirement it holds.
     */
    public static StrategyTestContext offering(long seed, Set<Requirement> offered) {
        return new StrategyTestContext(seed, offered);
    }

    /** The probe class a requirement stands for, or null for {@code WEIGHTS} and {@code CALIBRATION_DATA}. */
    public static Class<? extends Capability> capabilityOf(Requirement requirement) {
        return requirement.capability().orElse(null);
    }

    /** The capabilities asked for so far, offered or not. */
    public Set<Class<?>> requests() {
        synchronized (requested) {
            return Set.copyOf(requested);
        }
    }

    /** The capabilities asked for that this context did not offer. */
    public Set<Class<?>> undeclaredRequests() {
        synchronized (undeclared) {
            return Set.copyOf(undeclared);
        }
    }

    @Override
    public ModelSpec spec() {
        return SPEC;
    }

    @Override
    public Weights weights() {
        return weights;
    }

    @Override
    public List<ParameterSpec> prunable() {
        return SPEC.parameters(ParameterRole.WEIGHT);
    }

    @Override
    public MaskSet currentMasks() {
        return MaskSet.empty();
    }

    @Override
    public List<Batch> calibration() {
        return calibration;
    }

    @Override
    public SplittableRandom random() {
        return new SplittableRandom(seed);
    }

    @Override
    public <C extends Capability> C capability(Class<C> type) {
        requested.add(type);
        Requirement needed = Requirement.forCapability(type).orElse(null);
        if (needed != null && offered.contains(needed)) {
            return type.cast(probe(needed));
        }
        undeclared.add(type);
        throw new BonsaiException("this context offers no " + type.getSimpleName() + " (it offers " + offered
                + "); a strategy must declare every requirement it uses in requirements(options)");
    }

    private Capability probe(Requirement requirement) {
        return switch (requirement) {
            case GRADIENTS -> (GradientProbe) batches -> map(weights, (w, i, t) -> {
                double g = 0;
                for (Batch b : batches) {
                    double c = mean(b);
                    g += w * (1 + 0.1 * c) + 0.05 * Math.cos(0.7 * i + c);
                }
                return g;
            });
            case HESSIAN_VECTOR_PRODUCTS -> (HessianVectorProbe) (v, batches) -> map(v, (x, i, t) -> {
                float[] d = t.data();
                double left = i > 0 ? d[i - 1] : 0;
                double right = i + 1 < d.length ? d[i + 1] : 0;
                return batches.size() * ((1 + 0.1 * (i % 5)) * x + 0.1 * (left + right));
            });
            case CURVATURE_DIAGONAL -> (CurvatureProbe) (estimator, batches, samples, s) ->
                    map(weights, (w, i, t) -> batches.size() * (1 + 0.1 * (i % 5) + w * w));
            case LAYER_INPUT_STATISTICS -> new LayerInputProbe() {
                @Override
                public Map<String, Tensor> inputSquareSums(List<Batch> batches) {
                    Map<String, Tensor> out = new LinkedHashMap<>();
                    for (ParameterSpec p : prunable()) {
                        int in = p.shape().dim(1);
                        float[] s = new float[in];
                        for (int j = 0; j < in; j++) {
                            s[j] = (float) (batches.size() * (1 + 0.1 * j));
                        }
                        out.put(p.name(), new Tensor(Shape.of(in), s));
                    }
                    return out;
                }

                @Override
                public Map<String, Tensor> inputGram(List<Batch> batches, List<String> weightNames) {
                    Map<String, Tensor> out = new LinkedHashMap<>();
                    for (String name : weightNames) {
                        int in = SPEC.parameter(name).shape().dim(1);
                        float[] g = new float[in * in];
                        for (int a = 0; a < in; a++) {
                            for (int b = 0; b < in; b++) {
                                g[a * in + b] = (float) (batches.size() * ((a == b ? 1 + 0.1 * a : 0) + 0.01));
                            }
                        }
                        out.put(name, new Tensor(Shape.of(in, in), g));
                    }
                    return out;
                }
            };
            case LAYER_INPUT_MAGNITUDES -> (LayerInputMagnitudeProbe) (batches, threshold) -> {
                Map<String, LayerInputMagnitudeProbe.Magnitudes> out = new LinkedHashMap<>();
                for (ParameterSpec p : prunable()) {
                    int in = p.shape().dim(1);
                    long rows = 4L * Math.max(1, batches.size());
                    float[] mean = new float[in];
                    float[] max = new float[in];
                    long[] above = new long[in];
                    for (int j = 0; j < in; j++) {
                        mean[j] = (float) (0.5 + 0.05 * j);
                        max[j] = 2 * mean[j];
                        above[j] = max[j] > threshold ? Math.min(rows, j % 3) : 0;
                    }
                    out.put(p.name(), new LayerInputMagnitudeProbe.Magnitudes(rows, threshold,
                            new Tensor(Shape.of(in), mean), new Tensor(Shape.of(in), max), above));
                }
                return out;
            };
            case ACTIVATIONS -> (ActivationProbe) (batch, layerNames) -> {
                Map<String, Tensor> out = new LinkedHashMap<>();
                double c = mean(batch);
                for (String layer : layerNames) {
                    int units = SPEC.parameter(layer + ".weight").shape().dim(0);
                    float[] a = new float[batch.size() * units];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (float) Math.max(0, Math.sin(0.3 * i + c));
                    }
                    out.put(layer, new Tensor(Shape.of(batch.size(), units), a));
                }
                return out;
            };
            case MOVEMENT_SCORES -> new MovementProbe() {
                @Override
                public void start() {
                    throw new BonsaiException("the host starts movement accumulation, not a strategy");
                }

                @Override
                public void stop() {
                    throw new BonsaiException("the host stops movement accumulation, not a strategy");
                }

                @Override
                public boolean started() {
                    return true;
                }

                @Override
                public long steps() {
                    return 3;
                }

                @Override
                public Weights scores() {
                    return map(weights, (w, i, t) -> -w * (w * (1 + 0.1 * (i % 5)) + 0.05 * Math.cos(0.7 * i)));
                }
            };
            default -> throw new IllegalArgumentException(requirement + " is not a capability");
        };
    }

    private static double mean(Batch b) {
        double s = 0;
        for (float x : b.features().data()) {
            s += x;
        }
        return s / b.features().data().length;
    }

    /** Element i of a tensor to a new value. */
    private interface Element {
        double apply(float value, int index, Tensor tensor);
    }

    private static Weights map(Weights in, Element f) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        in.asMap().forEach((name, t) -> {
            float[] d = new float[t.data().length];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) f.apply(t.data()[i], i, t);
            }
            out.put(name, new Tensor(t.shape(), d));
        });
        return new Weights(out);
    }
}
