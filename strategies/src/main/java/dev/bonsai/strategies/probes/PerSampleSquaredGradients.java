package dev.bonsai.strategies.probes;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.SquaredGradientProbe;
import dev.bonsai.api.model.Weights;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Generic {@link SquaredGradientProbe}: the engine's gradient of each sample on its own (a batch of one), squared and
 * summed in double precision. One forward and backward per sample, so engines that can do better supply the
 * capability natively.
 */
public final class PerSampleSquaredGradients implements SquaredGradientProbe {
    private final GradientProbe gradients;

    /** Squares of the gradients {@code gradients} computes. */
    public PerSampleSquaredGradients(GradientProbe gradients) {
        this.gradients = Objects.requireNonNull(gradients, "gradients");
    }

    @Override
    public Weights squaredGradientSum(List<Batch> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("squared gradients need at least one batch");
        }
        Map<String, double[]> acc = null;
        Weights shapes = null;
        for (Batch batch : batches) {
            for (int i = 0; i < batch.size(); i++) {
                Weights g = gradients.gradientSum(List.of(ProbeMath.single(batch, i, ProbeMath.labels(batch, i))));
                if (acc == null) {
                    acc = ProbeMath.accumulators(g);
                    shapes = g;
                }
                ProbeMath.addSquares(acc, g);
            }
        }
        return ProbeMath.toWeights(acc, shapes, 1);
    }
}
