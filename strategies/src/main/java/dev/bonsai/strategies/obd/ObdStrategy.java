package dev.bonsai.strategies.obd;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.engine.CurvatureProbe;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.strategies.scoring.Scoring;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Optimal brain damage ({@code obd}): the saliency of weight k is s_k = ½ · h_kk · w_k², the second-order estimate
 * of the increase in training loss when w_k is set to zero at a minimum (where the gradient vanishes and
 * off-diagonal terms are neglected).
 *
 * <p>Y. LeCun, J. S. Denker and S. A. Solla, "Optimal Brain Damage", NeurIPS 1989. The diagonal h_kk of the
 * Hessian of the mean training loss over the calibration batches comes from the selected {@link Curvature}:
 * {@code exact} (Hessian-vector products with unit vectors), {@code hutchinson}, {@code gauss-newton} (LeCun's
 * positive approximation, estimated as a Monte-Carlo Fisher) or {@code empirical-fisher}. The exact and
 * Hutchinson diagonals of a non-convex loss can be negative, which makes a saliency negative and prunes that
 * weight first; the Gauss–Newton diagonal, the paper's choice, is never negative.
 */
public final class ObdStrategy implements PruningStrategy<ObdOptions> {

    /** Creates the strategy; it is stateless. */
    public ObdStrategy() {
    }

    @Override
    public String id() {
        return "obd";
    }

    @Override
    public String description() {
        return "Optimal brain damage: ½·h_kk·w_k² with a selectable Hessian diagonal (LeCun et al. 1989)";
    }

    @Override
    public Class<ObdOptions> optionsType() {
        return ObdOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public Set<Requirement> requirements(ObdOptions options) {
        return Set.of(Requirement.WEIGHTS, Requirement.CALIBRATION_DATA, options.curvature() == Curvature.EXACT
                ? Requirement.HESSIAN_VECTOR_PRODUCTS : Requirement.CURVATURE_DIAGONAL);
    }

    @Override
    public Scores score(ObdOptions options, PruningContext context) {
        if (context.calibration().isEmpty()) {
            throw new BonsaiException("strategy 'obd' needs calibration batches, and none were given");
        }
        Weights diagonal = options.curvature() == Curvature.EXACT ? exactDiagonal(options, context)
                : context.capability(CurvatureProbe.class).diagonal(estimator(options.curvature()),
                        context.calibration(), draws(options, context), context.random().nextLong());
        return Scoring.each(context, (p, w) -> {
            float[] h = diagonal.get(p.name()).data();
            float[] s = new float[w.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) (0.5 * h[i] * w[i] * w[i]);
            }
            return s;
        });
    }

    /**
     * The probe's sample count for {@code samples} per calibration input: every input (empirical Fisher), every
     * input times {@code samples} sampled labels (Gauss–Newton), or {@code samples} Rademacher probes (Hutchinson).
     */
    static int draws(ObdOptions options, PruningContext context) {
        int inputs = context.calibration().stream().mapToInt(b -> b.size()).sum();
        return switch (options.curvature()) {
            case EMPIRICAL_FISHER -> 0;
            case GAUSS_NEWTON -> Math.multiplyExact(inputs, options.samples());
            case HUTCHINSON, EXACT -> options.samples();
        };
    }

    private static CurvatureProbe.Estimator estimator(Curvature c) {
        return switch (c) {
            case HUTCHINSON -> CurvatureProbe.Estimator.HUTCHINSON;
            case GAUSS_NEWTON -> CurvatureProbe.Estimator.GAUSS_NEWTON;
            case EMPIRICAL_FISHER -> CurvatureProbe.Estimator.EMPIRICAL_FISHER;
            case EXACT -> throw new IllegalArgumentException("exact has no estimator");
        };
    }

    /** The exact diagonal of the prunable weights: (H e_k)_k for every unit vector e_k. */
    private static Weights exactDiagonal(ObdOptions options, PruningContext context) {
        long count = context.prunable().stream().mapToLong(ParameterSpec::size).sum();
        if (count > options.exactLimit()) {
            throw new BonsaiException("obd with curvature 'exact' needs one Hessian-vector product per weight, and this "
                    + "model has " + count + " prunable weights (exact_limit " + options.exactLimit() + "); use "
                    + "curvature gauss-newton, empirical-fisher or hutchinson, or raise exact_limit");
        }
        HessianVectorProbe hvp = context.capability(HessianVectorProbe.class);
        Map<String, Tensor> v = new LinkedHashMap<>();
        context.spec().parameters().values().stream().filter(p -> p.role().trainable())
                .forEach(p -> v.put(p.name(), Tensor.zeros(p.shape())));
        Weights direction = new Weights(v);
        Map<String, Tensor> diagonal = new LinkedHashMap<>();
        for (ParameterSpec p : context.prunable()) {
            float[] unit = direction.get(p.name()).data();
            float[] h = new float[unit.length];
            for (int i = 0; i < unit.length; i++) {
                unit[i] = 1f;
                h[i] = hvp.hessianVector(direction, context.calibration()).get(p.name()).data()[i];
                unit[i] = 0f;
            }
            diagonal.put(p.name(), new Tensor(p.shape(), h));
        }
        return new Weights(diagonal);
    }
}
