package dev.bonsai.benchmarks;

import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.prune.MaskSet;
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
 * Applying masks between steps: {@link Network#applyMasks} with 90% of every LeNet-300-100 weight matrix pruned
 * (the engine uploads the masks and zeroes the masked weights and their optimizer state), then reading them back.
 * Enforcement during training is measured by {@link TrainingStepBenchmark}'s {@code masked} parameter.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MaskBenchmark {
    /** The engine. */
    @Param({"djl", "dl4j"})
    public String engine;

    private EngineRuntime runtime;
    private Network network;
    private MaskSet masks;

    /** Builds the network and the masks. */
    @Setup(Level.Trial)
    public void setUp() {
        ModelSpec spec = Fixtures.lenet();
        runtime = Fixtures.engine(engine);
        network = runtime.build(spec, WeightInitializer.initialize(spec, 1), "cpu");
        masks = Fixtures.randomMasks(spec, 0.9, 2);
    }

    /** Releases the network and the engine. */
    @TearDown(Level.Trial)
    public void tearDown() {
        network.close();
        runtime.close();
    }

    /** Sets the masks (every weight matrix) on the network. */
    @Benchmark
    public MaskSet apply() {
        network.applyMasks(masks);
        return network.masks();
    }
}
