package dev.bonsai.engine.djl;

import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.LrSchedule;
import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.engine.TrainingResult;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.testkit.engine.SyntheticData;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures (never asserts) LeNet-300-100 training throughput at batch 128 on random MNIST-shaped data, as
 * {@code ../shared/peers/torch_lenet.py} does for PyTorch. Run with
 * {@code mvn -o -q -pl engines/djl -am test -Dtest=LeNetThroughputBench -Dbonsai.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}; optional {@code -Dbonsai.bench.threads=N}, {@code .epochs},
 * {@code .optimizer=sgd|adam}.
 */
class LeNetThroughputBench {
    private static final Logger LOG = LogManager.getLogger(LeNetThroughputBench.class);

    @Test
    @EnabledIfSystemProperty(named = "bonsai.bench", matches = "true")
    void lenet300100() {
        int threads = Integer.getInteger("bonsai.bench.threads", 0);
        int epochs = Integer.getInteger("bonsai.bench.epochs", 4);
        int samples = Integer.getInteger("bonsai.bench.samples", 60_000);
        String which = System.getProperty("bonsai.bench.optimizer", "sgd");
        ModelSpec spec = new ModelSpec("lenet-300-100", Shape.of(1, 28, 28), List.of(new LayerSpec.Flatten("flat"),
                new LayerSpec.Dense("fc1", 300, true), new LayerSpec.Activate("relu1", Activation.RELU),
                new LayerSpec.Dense("fc2", 100, true), new LayerSpec.Activate("relu2", Activation.RELU),
                new LayerSpec.Dense("fc3", 10, true)));
        Split data = SyntheticData.random("random-mnist", samples, Shape.of(1, 28, 28), 10, 1);
        OptimizerSpec optimizer = which.equals("adam") ? new OptimizerSpec.Adam(1e-3, 0.9, 0.999, 1e-8, 0, false)
                : new OptimizerSpec.Sgd(0.1, 0.9, false, 0);
        try (DjlRuntime runtime = new DjlEngine().create(new DjlOptions(threads));
                DjlNetwork network = runtime.build(spec, WeightInitializer.initialize(spec, 1), "cpu")) {
            TrainingConfig warm = new TrainingConfig(1, 128, optimizer, new LrSchedule.Constant(), 0,
                    List.of(new LossTerm.CrossEntropy(1)));
            network.train(new TrainingPlan(data, new BatchSampler(1), 0, warm, Optional.empty()), TrainingListener.NONE);
            for (int e = 0; e < epochs; e++) {
                TrainingResult r = network.train(new TrainingPlan(data, new BatchSampler(1), e + 1, warm,
                        Optional.empty()), TrainingListener.NONE);
                double rate = r.steps() * 128 / r.seconds();
                String line = String.format("djl %s lenet-300-100 batch 128 %s: epoch %d %.0f samples/s (loss %.4f)",
                        runtime.versions(), which, e, rate, r.epochLosses().get(0));
                LOG.warn(line);
            }
        }
    }
}
