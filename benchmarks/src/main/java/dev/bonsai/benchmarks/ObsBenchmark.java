package dev.bonsai.benchmarks;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.strategies.obs.ObsOptions;
import dev.bonsai.strategies.obs.ObsStrategy;
import dev.bonsai.strategies.obs.ObsUpdate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Layerwise optimal brain surgeon on LeNet-300-100's first layer (300 × 784) from the 784 × 784 Gram matrix of 1,024
 * MNIST-shaped inputs: {@link #score} (the Cholesky factorisation and inverse of the dampened Gram matrix, then
 * w²/(2·[H⁻¹]_qq)) and {@link #compensate} (the weight correction for a 50% random mask: {@code exact}, a Cholesky
 * solve of H_KK per row, or {@code sequential}, SparseGPT's column sweep with the Cholesky factor of H⁻¹). The Gram
 * matrix is computed once, outside the measurement, as an engine's layer-input probe would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ObsBenchmark {
    /** The correction of {@link #compensate}. */
    @Param({"SEQUENTIAL", "EXACT"})
    public ObsUpdate update;

    private final ObsStrategy obs = new ObsStrategy();
    private ObsOptions options;
    private PruningContext context;
    private MaskSet masks;

    /** Computes the Gram matrix and draws the mask. */
    @Setup(Level.Trial)
    public void setUp() {
        ModelSpec spec = Fixtures.lenet();
        ParameterSpec fc1 = spec.parameters().get("fc1.weight");
        Split data = Fixtures.mnistLike(1024, 7);
        options = new ObsOptions(0.01, update);
        context = new GramContext(spec, fc1, WeightInitializer.initialize(spec, 8), data.batchesInOrder(Fixtures.BATCH),
                gram(data.features(), data.size(), fc1.shape().dim(1)));
        masks = new MaskSet(Map.of(fc1.name(), Fixtures.randomMasks(spec, 0.5, 9).get(fc1.name()).orElseThrow()));
    }

    private static Tensor gram(float[] x, int samples, int width) {
        double[] g = new double[width * width];
        for (int s = 0; s < samples; s++) {
            int row = s * width;
            for (int i = 0; i < width; i++) {
                double xi = x[row + i];
                for (int j = i; j < width; j++) {
                    g[i * width + j] += xi * x[row + j];
                }
            }
        }
        float[] out = new float[width * width];
        for (int i = 0; i < width; i++) {
            for (int j = i; j < width; j++) {
                out[i * width + j] = (float) g[i * width + j];
                out[j * width + i] = (float) g[i * width + j];
            }
        }
        return new Tensor(Shape.of(width, width), out);
    }

    /** OBS saliencies of the layer. */
    @Benchmark
    public Scores score() {
        return obs.score(options, context);
    }

    /** The compensating update of the remaining weights for the mask. */
    @Benchmark
    public Optional<Weights> compensate() {
        return obs.compensate(options, context, masks);
    }

    /** A pruning context of one prunable layer whose layer-input probe returns a fixed Gram matrix. */
    private record GramContext(ModelSpec spec, ParameterSpec layer, Weights weights, List<Batch> calibration,
            Tensor gram) implements PruningContext {
        @Override
        public List<ParameterSpec> prunable() {
            return List.of(layer);
        }

        @Override
        public MaskSet currentMasks() {
            return MaskSet.empty();
        }

        @Override
        public SplittableRandom random() {
            return new SplittableRandom(1);
        }

        @Override
        public <C extends Capability> C capability(Class<C> type) {
            if (type != LayerInputProbe.class) {
                throw new BonsaiException("this benchmark's context offers only LayerInputProbe, not " + type);
            }
            return type.cast(new LayerInputProbe() {
                @Override
                public Map<String, Tensor> inputSquareSums(List<Batch> batches) {
                    throw new BonsaiException("this benchmark's context offers Gram matrices only");
                }

                @Override
                public Map<String, Tensor> inputGram(List<Batch> batches, List<String> weightNames) {
                    return Map.of(layer.name(), gram);
                }
            });
        }
    }
}
