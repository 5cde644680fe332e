package dev.bonsai.benchmarks;

import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.LrSchedule;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.engine.TrainingResult;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.WeightInitializer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One training step of LeNet-300-100 at batch 128 (SGD with momentum 0.9, cross-entropy: what the PyTorch peer
 * times), per engine, dense or with 90% of every weight matrix masked (the engine then keeps the masked weights and
 * their momentum at zero on every step: the cost of mask enforcement is the difference). Each invocation is one
 * epoch of {@value #STEPS} steps over the same data, and the score is per step, so the fixed cost of starting an
 * epoch weighs a little more than in a real MNIST epoch of 469 steps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainingStepBenchmark {
    static final int STEPS = 32;

    /** The engine. */
    @Param({"djl", "dl4j"})
    public String engine;

    /** The fraction of every weight matrix masked (0: dense, nothing to enforce). */
    @Param({"0", "0.9"})
    public double masked;

    private EngineRuntime runtime;
    private Network network;
    private TrainingPlan plan;

    /** Builds the network and its data. */
    @Setup(Level.Trial)
    public void setUp() {
        ModelSpec spec = Fixtures.lenet();
        runtime = Fixtures.engine(engine);
        network = runtime.build(spec, WeightInitializer.initialize(spec, 1), "cpu");
        if (masked > 0) {
            network.applyMasks(Fixtures.randomMasks(spec, masked, 2));
        }
        Split data = Fixtures.mnistLike(STEPS * Fixtures.BATCH, 3);
        TrainingConfig config = new TrainingConfig(1, Fixtures.BATCH, new OptimizerSpec.Sgd(0.01, 0.9, false, 0),
                new LrSchedule.Constant(), 0, List.of(new LossTerm.CrossEntropy(1)));
        plan = new TrainingPlan(data, new BatchSampler(4), 0, config, Optional.empty());
    }

    /** Releases the network and the engine. */
    @TearDown(Level.Trial)
    public void tearDown() {
        network.close();
        runtime.close();
    }

    /** {@value #STEPS} training steps. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public TrainingResult step() {
        return network.train(plan, TrainingListener.NONE);
    }
}
