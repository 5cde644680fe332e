package dev.bonsai.experiments.bench;

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
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.WeightInitializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Measures one model on one engine and device: training samples per second (SGD with momentum, cross-entropy, as
 * the PyTorch peer does) as the best of several timed epochs after a warm-up epoch, and inference samples per
 * second over the same data (the best of as many passes, after a warm-up one). Sequence models also report tokens per
 * second.
 */
public final class Benchmark {
    private static final Logger LOG = LogManager.getLogger(Benchmark.class);

    /**
     * What to measure.
     *
     * @param batch   samples per step
     * @param samples samples per epoch
     * @param repeats timed epochs (the best counts)
     */
    public record Settings(int batch, int samples, int repeats) {
    }

    private Benchmark() {
    }

    /** Measures {@code spec} on {@code runtime}'s {@code device}. */
    public static List<Measurement> run(EngineRuntime runtime, String device, String modelId, ModelSpec spec,
            SyntheticShape shape, Settings settings, int threads, String machine) {
        Split data = shape.split(settings.samples(), 1);
        TrainingConfig config = new TrainingConfig(1, settings.batch(), new OptimizerSpec.Sgd(0.01, 0.9, false, 0),
                new LrSchedule.Constant(), 0, List.of(new LossTerm.CrossEntropy(1)));
        List<Measurement> out = new ArrayList<>();
        try (Network network = runtime.build(spec, WeightInitializer.initialize(spec, 1), device)) {
            BatchSampler sampler = new BatchSampler(1);
            long steps = data.size() / settings.batch();
            double best = 0;
            for (int epoch = 0; epoch <= settings.repeats(); epoch++) {
                long t0 = System.nanoTime();
                network.train(new TrainingPlan(data, sampler, epoch, config, Optional.empty()), TrainingListener.NONE);
                double perSecond = steps * settings.batch() / ((System.nanoTime() - t0) / 1e9);
                if (epoch > 0) {
                    best = Math.max(best, perSecond);
                }
                LOG.info("{} on {}:{}: {} epoch {}: {} samples/s", modelId, runtime.engineId(), device,
                        epoch == 0 ? "warm-up" : "timed", epoch, String.format("%.0f", perSecond));
            }
            network.evaluate(data, settings.batch());
            double inference = 0;
            for (int pass = 0; pass < settings.repeats(); pass++) {
                long t0 = System.nanoTime();
                network.evaluate(data, settings.batch());
                inference = Math.max(inference, data.size() / ((System.nanoTime() - t0) / 1e9));
            }
            String engine = runtime.engineId();
            out.add(new Measurement(engine, device, modelId, settings.batch(), threads, "train_samples_per_s", best, machine));
            out.add(new Measurement(engine, device, modelId, settings.batch(), threads, "infer_samples_per_s", inference,
                    machine));
            if (shape.labelsPerSample() > 1) {
                out.add(new Measurement(engine, device, modelId, settings.batch(), threads, "train_tokens_per_s",
                        best * shape.labelsPerSample(), machine));
            }
        }
        return out;
    }
}
