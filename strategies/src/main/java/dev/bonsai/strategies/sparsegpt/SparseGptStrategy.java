package dev.bonsai.strategies.sparsegpt;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.engine.LayerInputMagnitudeProbe;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSelectingStrategy;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.MaskTarget;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningOutcome;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Structure;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * SparseGPT ({@code sparsegpt}): each dense weight is pruned on its own from its layer's input Hessian
 * H = XᵀX / rows, choosing the mask block by block from the weights as its own updates leave them (see
 * {@link SparseGpt}). It selects its masks itself ({@link MaskSelectingStrategy}): unstructured at each parameter's
 * target sparsity, or N:M; it declares the layerwise scope, whatever the descriptor's.
 *
 * <p>E. Frantar and D. Alistarh, "SparseGPT: Massive Language Models Can Be Accurately Pruned in One-Shot",
 * ICML 2023.
 *
 * <p>Unlike {@code obs}, which ranks every weight once by w² / [H⁻¹]_qq, lets the host select, and then corrects the
 * kept weights for that fixed mask, SparseGPT decides each block's mask only after the earlier blocks' errors have
 * been spread over it. The Gram matrix comes from {@link LayerInputProbe}; the number of input rows, which scales it
 * to H, from {@link LayerInputMagnitudeProbe}, asked only when a layer has inputs that are always zero (elsewhere the
 * result does not depend on H's scale). Dense weights only.
 */
public final class SparseGptStrategy implements MaskSelectingStrategy<SparseGptOptions> {
    private static final Logger LOG = LogManager.getLogger(SparseGptStrategy.class);

    /** Creates the strategy; it is stateless. */
    public SparseGptStrategy() {
    }

    @Override
    public String id() {
        return "sparsegpt";
    }

    @Override
    public String description() {
        return "SparseGPT: adaptive mask selection with lazy OBS weight updates, layer by layer (Frantar & Alistarh "
                + "2023)";
    }

    @Override
    public Class<SparseGptOptions> optionsType() {
        return SparseGptOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public Set<Requirement> requirements(SparseGptOptions options) {
        return Set.of(Requirement.WEIGHTS, Requirement.CALIBRATION_DATA, Requirement.LAYER_INPUT_STATISTICS,
                Requirement.LAYER_INPUT_MAGNITUDES);
    }

    /** Layerwise: every parameter meets its own target, whatever the descriptor's scope. */
    @Override
    public Optional<Scope> scope(SparseGptOptions options) {
        return Optional.of(Scope.LAYERWISE);
    }

    @Override
    public PruningOutcome prune(SparseGptOptions options, PruningContext context, MaskTarget target) {
        if (target.structure() instanceof Structure.Groups g) {
            throw new BonsaiException("sparsegpt prunes single weights (unstructured or N:M), not " + g.label()
                    + "; use structure unstructured or N:M");
        }
        Structure.NOfM nm = target.structure() instanceof Structure.NOfM n ? n : null;
        if (context.calibration().isEmpty()) {
            throw new BonsaiException("strategy 'sparsegpt' needs calibration batches, and none were given");
        }
        for (ParameterSpec p : context.prunable()) {
            if (p.shape().rank() != 2) {
                throw new BonsaiException("sparsegpt prunes dense weights only; '" + p.name() + "' has shape "
                        + p.shape() + "; leave it out of the prunable parameters");
            }
            double s = target.sparsity(p.name());
            if (nm != null && Math.abs(s - (1 - (double) nm.n() / nm.m())) > 1e-9) {
                throw new BonsaiException("N:M structure " + nm.label() + " fixes the sparsity at 1 − " + nm.n() + "/"
                        + nm.m() + ", but the target of '" + p.name() + "' is " + s);
            }
        }
        List<String> names = context.prunable().stream().map(ParameterSpec::name).toList();
        Map<String, Tensor> grams = context.capability(LayerInputProbe.class).inputGram(context.calibration(), names);
        Map<String, LayerInputMagnitudeProbe.Magnitudes> rows = null;
        Map<String, Mask> masks = new LinkedHashMap<>();
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (ParameterSpec p : context.prunable()) {
            long t0 = System.nanoTime();
            int out = p.shape().dim(0);
            int in = p.shape().dim(1);
            Tensor gram = grams.get(p.name());
            if (gram == null || !gram.shape().equals(Shape.of(in, in))) {
                throw new BonsaiException("the layer-input probe gave no [" + in + ", " + in + "] Gram matrix for '"
                        + p.name() + "'");
            }
            double[] h = new double[in * in];
            boolean dead = false;
            for (int i = 0; i < h.length; i++) {
                h[i] = gram.data()[i];
            }
            for (int j = 0; j < in; j++) {
                dead |= h[j * in + j] == 0;
            }
            if (dead) {
                if (rows == null) {
                    rows = context.capability(LayerInputMagnitudeProbe.class)
                            .inputMagnitudes(context.calibration(), 0);
                }
                LayerInputMagnitudeProbe.Magnitudes m = rows.get(p.name());
                if (m == null) {
                    throw new BonsaiException("the layer-input magnitude probe gave no row count for '" + p.name()
                            + "'");
                }
                for (int i = 0; i < h.length; i++) {
                    h[i] /= m.rows();
                }
            }
            SparseGpt.Factor factor = SparseGpt.factor(h, in, options.dampening(), p.name());
            float[] w = context.weights().get(p.name()).data();
            double[] wd = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                wd[i] = w[i];
            }
            BitSet pruned = new BitSet(w.length);
            context.currentMasks().get(p.name()).ifPresent(mask -> {
                pruned.set(0, w.length);
                pruned.andNot(mask.keptBits());
            });
            SparseGpt.Result result = SparseGpt.prune(wd, out, in, factor, pruned, target.sparsity(p.name()), nm,
                    options.blocksize());
            float[] updated = new float[w.length];
            for (int i = 0; i < updated.length; i++) {
                updated[i] = (float) result.weights()[i];
            }
            masks.put(p.name(), new Mask(p.shape(), result.kept()));
            weights.put(p.name(), new Tensor(p.shape(), updated));
            LOG.debug("sparsegpt pruned '{}' [{}, {}] in {} ms", p.name(), out, in,
                    (System.nanoTime() - t0) / 1_000_000);
        }
        return new PruningOutcome(new MaskSet(masks), new Weights(weights));
    }
}
