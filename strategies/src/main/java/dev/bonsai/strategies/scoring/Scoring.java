package dev.bonsai.strategies.scoring;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.Scores;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loops every strategy needs. */
public final class Scoring {
    private Scoring() {
    }

    /** A per-parameter scoring rule. */
    @FunctionalInterface
    public interface Rule {
        /** The scores of {@code parameter}, whose current values are {@code weights}. */
        float[] score(ParameterSpec parameter, float[] weights);
    }

    /**
     * Applies {@code rule} to every prunable parameter of {@code context}, in model order.
     *
     * @throws BonsaiException when the weights lack a prunable parameter or hold it with another size than its spec
     */
    public static Scores each(PruningContext context, Rule rule) {
        Weights weights = context.weights();
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ParameterSpec p : context.prunable()) {
            if (!weights.contains(p.name())) {
                throw new BonsaiException("the weights hold no parameter '" + p.name() + "' to score; they hold "
                        + weights.asMap().keySet());
            }
            Tensor w = weights.get(p.name());
            if (w.size() != p.size()) {
                throw new BonsaiException("parameter '" + p.name() + "' has " + w.size() + " weights but its spec "
                        + p.shape() + " needs " + p.size());
            }
            out.put(p.name(), rule.score(p, w.data()));
        }
        return new Scores(out);
    }

    /**
     * The gradient of the mean training loss averaged over the calibration batches.
     *
     * @throws BonsaiException when there are no calibration batches
     */
    public static Weights meanGradient(PruningContext context, String strategy) {
        if (context.calibration().isEmpty()) {
            throw new BonsaiException("strategy '" + strategy + "' needs calibration batches, and none were given");
        }
        Weights sum = context.capability(GradientProbe.class).gradientSum(context.calibration());
        float scale = 1f / context.calibration().size();
        Map<String, Tensor> mean = new LinkedHashMap<>();
        sum.asMap().forEach((name, t) -> {
            float[] d = t.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] *= scale;
            }
            mean.put(name, new Tensor(t.shape(), d));
        });
        return new Weights(mean);
    }
}
