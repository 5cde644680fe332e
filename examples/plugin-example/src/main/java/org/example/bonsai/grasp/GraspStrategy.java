package org.example.bonsai.grasp;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GraSP ({@code grasp}): prune the weights whose removal reduces gradient flow least.
 *
 * <p>C. Wang, G. Zhang and R. Grosse, "Picking Winning Tickets Before Training by Preserving Gradient Flow",
 * ICLR 2020. With g the loss gradient and H the Hessian over the calibration batches, GraSP's saliency is
 * S = −θ ⊙ (H g), and the weights with the largest S are removed. Bonsai's scores mean "keep the highest", so
 * this strategy returns −S = θ ⊙ (H g). It needs gradients and one Hessian-vector product, both asked of the engine
 * through {@link PruningContext#capability}.
 */
public final class GraspStrategy implements PruningStrategy<GraspOptions> {

    /** Creates the strategy; it is stateless, as ServiceLoader needs a public no-argument constructor. */
    public GraspStrategy() {
    }

    @Override
    public String id() {
        return "grasp";
    }

    @Override
    public String description() {
        return "GraSP: keep weights by θ ⊙ Hg, preserving gradient flow at initialisation (Wang et al. 2020)";
    }

    @Override
    public Class<GraspOptions> optionsType() {
        return GraspOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public Set<Requirement> requirements(GraspOptions options) {
        return Set.of(Requirement.WEIGHTS, Requirement.CALIBRATION_DATA, Requirement.GRADIENTS,
                Requirement.HESSIAN_VECTOR_PRODUCTS);
    }

    @Override
    public Scores score(GraspOptions options, PruningContext context) {
        List<Batch> batches = context.calibration();
        if (batches.isEmpty()) {
            throw new BonsaiException("strategy 'grasp' needs calibration batches, and none were given");
        }
        Weights g = mean(context.capability(GradientProbe.class).gradientSum(batches), batches.size());
        Weights hg = context.capability(HessianVectorProbe.class).hessianVector(g, batches);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ParameterSpec p : context.prunable()) {
            float[] theta = context.weights().get(p.name()).data();
            if (!hg.contains(p.name())) {
                throw new BonsaiException("grasp: the Hessian-vector product holds no parameter '" + p.name() + "'");
            }
            float[] h = hg.get(p.name()).data();
            float[] s = new float[theta.length];
            for (int i = 0; i < s.length; i++) {
                float keep = theta[i] * h[i];
                s[i] = options.absolute() ? Math.abs(keep) : keep;
            }
            out.put(p.name(), s);
        }
        return new Scores(out);
    }

    private static Weights mean(Weights sum, int batches) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        sum.asMap().forEach((name, t) -> {
            float[] d = t.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] /= batches;
            }
            out.put(name, new Tensor(t.shape(), d));
        });
        return new Weights(out);
    }
}
