package dev.bonsai.benchmarks;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.CurvatureProbe;
import dev.bonsai.api.engine.CurvatureProbe.Estimator;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.strategies.probes.Capabilities;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * The curvature probes optimal brain damage scores with, on LeNet-300-100 over {@value #SAMPLES} MNIST-shaped
 * calibration samples (batches of 128), as a strategy gets them ({@link Capabilities#resolve}: the engine's native
 * primitives where it has them, the core's generic estimator on top): {@code gradient}, the gradient summed over
 * the batches (one forward and backward per batch, the yardstick); {@code GAUSS_NEWTON} and
 * {@code EMPIRICAL_FISHER}, the mean squared per-sample gradient with sampled or true labels, one draw per sample;
 * {@code HUTCHINSON}, {@value #PROBES} Rademacher probes of Hessian-vector products.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CurvatureBenchmark {
    static final int SAMPLES = 1024;
    static final int PROBES = 4;

    /** The engine. */
    @Param({"djl", "dl4j"})
    public String engine;

    /** {@code gradient} or a curvature estimator. */
    @Param({"gradient", "GAUSS_NEWTON", "EMPIRICAL_FISHER", "HUTCHINSON"})
    public String probe;

    private EngineRuntime runtime;
    private Network network;
    private List<Batch> batches;

    /** Builds the network and the calibration batches. */
    @Setup(Level.Trial)
    public void setUp() {
        ModelSpec spec = Fixtures.lenet();
        runtime = Fixtures.engine(engine);
        network = runtime.build(spec, WeightInitializer.initialize(spec, 1), "cpu");
        batches = Fixtures.mnistLike(SAMPLES, 11).batchesInOrder(Fixtures.BATCH);
    }

    /** Releases the network and the engine. */
    @TearDown(Level.Trial)
    public void tearDown() {
        network.close();
        runtime.close();
    }

    /** One estimate over the calibration batches. */
    @Benchmark
    public Weights estimate() {
        if (probe.equals("gradient")) {
            return Capabilities.resolve(network, GradientProbe.class).gradientSum(batches);
        }
        Estimator estimator = Estimator.valueOf(probe);
        return Capabilities.resolve(network, CurvatureProbe.class).diagonal(estimator, batches,
                estimator == Estimator.HUTCHINSON ? PROBES : 0, 1);
    }
}
