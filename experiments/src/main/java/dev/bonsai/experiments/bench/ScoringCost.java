package dev.bonsai.experiments.bench;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.CurvatureProbe;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.strategies.probes.Capabilities;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The cost of scoring for optimal brain damage against the cost of training, for the budget Bonsai holds OBD to: with
 * the Gauss–Newton estimator over 10,000 calibration samples it costs at most 5× one training epoch of gradient
 * computation over the same samples. On the same seeded samples, in batches of the benchmark's size, it times, as a strategy gets them
 * ({@link Capabilities#resolve}: native where the engine has it):
 *
 * <ul>
 * <li>{@code gradient_epoch_s}: one epoch of gradient computation, the gradient of every batch (a forward and a
 * backward pass each, in evaluation mode, no optimizer update): {@link GradientProbe#gradientSum} over the batches;</li>
 * <li>{@code obd_gauss_newton_s}: OBD's Gauss–Newton diagonal over the same samples, one draw per sample:
 * {@link CurvatureProbe#diagonal} with {@link CurvatureProbe.Estimator#GAUSS_NEWTON};</li>
 * <li>{@code obd_scoring_cost_ratio}: the second over the first.</li>
 * </ul>
 *
 * Each is the best of {@code repeats} timed runs after a warm-up run on one batch.
 */
public final class ScoringCost {
    private static final Logger LOG = LogManager.getLogger(ScoringCost.class);

    private ScoringCost() {
    }

    /** Measures {@code spec} on {@code runtime}'s {@code device} over {@code samples} samples. */
    public static List<Measurement> run(EngineRuntime runtime, String device, String modelId, ModelSpec spec,
            SyntheticShape shape, int batch, int samples, int repeats, int threads, String machine) {
        List<Batch> batches = shape.split(samples, 2).batchesInOrder(batch);
        try (Network network = runtime.build(spec, WeightInitializer.initialize(spec, 1), device)) {
            GradientProbe gradients = Capabilities.resolve(network, GradientProbe.class);
            CurvatureProbe curvature = Capabilities.resolve(network, CurvatureProbe.class);
            gradients.gradientSum(batches.subList(0, 1));
            curvature.diagonal(CurvatureProbe.Estimator.GAUSS_NEWTON, batches.subList(0, 1), 0, 1);
            double gradient = Double.POSITIVE_INFINITY;
            double obd = Double.POSITIVE_INFINITY;
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                gradients.gradientSum(batches);
                long t1 = System.nanoTime();
                curvature.diagonal(CurvatureProbe.Estimator.GAUSS_NEWTON, batches, 0, 1 + r);
                long t2 = System.nanoTime();
                gradient = Math.min(gradient, (t1 - t0) / 1e9);
                obd = Math.min(obd, (t2 - t1) / 1e9);
                LOG.info("{} on {}:{}: {} samples: gradient epoch {} s, OBD Gauss–Newton {} s", modelId,
                        runtime.engineId(), device, samples, String.format("%.3f", (t1 - t0) / 1e9),
                        String.format("%.3f", (t2 - t1) / 1e9));
            }
            String engine = runtime.engineId();
            return List.of(
                    new Measurement(engine, device, modelId, batch, threads, "gradient_epoch_s", gradient, machine),
                    new Measurement(engine, device, modelId, batch, threads, "obd_gauss_newton_s", obd, machine),
                    new Measurement(engine, device, modelId, batch, threads, "obd_scoring_cost_ratio", obd / gradient,
                            machine));
        }
    }
}
