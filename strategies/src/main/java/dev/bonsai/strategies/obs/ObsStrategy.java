package dev.bonsai.strategies.obs;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Optimal brain surgeon, layerwise ({@code obs}): Hassibi and Stork's saliency w_q² / (2·[H⁻¹]_qq) and the
 * compensating update of the remaining weights, with H the Hessian of the layer's reconstruction error
 * ‖X·Wᵀ − X·Ŵᵀ‖², which is the input Gram matrix XᵀX (shared by all output rows), dampened:
 * H = XᵀX + λ·mean(diag XᵀX)·I.
 *
 * <p>B. Hassibi and D. G. Stork, "Second order derivatives for network pruning: Optimal Brain Surgeon",
 * NeurIPS 1992; the layerwise formulation is that of E. Frantar and D. Alistarh, "Optimal Brain Compression"
 * (NeurIPS 2022) and "SparseGPT" (ICML 2023), which makes OBS scale beyond tiny networks.
 *
 * <p>After selection, each row r with pruned set P and kept set K is corrected: {@code exact} solves
 * min (w−ŵ)ᵀH(w−ŵ) subject to ŵ_P = 0, giving ŵ_K = w_K + H_KK⁻¹·H_KP·w_P; {@code sequential} is SparseGPT's
 * column-by-column approximation from the Cholesky factor of H⁻¹. Dense weights only.
 */
public final class ObsStrategy implements PruningStrategy<ObsOptions> {
    private static final int EXACT_LIMIT = 1024;

    /** Creates the strategy; it is stateless. */
    public ObsStrategy() {
    }

    @Override
    public String id() {
        return "obs";
    }

    @Override
    public String description() {
        return "Optimal brain surgeon, layerwise from XᵀX, with weight correction (Hassibi & Stork 1992; OBC/SparseGPT)";
    }

    @Override
    public Class<ObsOptions> optionsType() {
        return ObsOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public Set<Requirement> requirements(ObsOptions options) {
        return Set.of(Requirement.WEIGHTS, Requirement.CALIBRATION_DATA, Requirement.LAYER_INPUT_STATISTICS);
    }

    @Override
    public Scores score(ObsOptions options, PruningContext context) {
        Map<String, double[]> hessians = hessians(options, context);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ParameterSpec p : context.prunable()) {
            int in = p.shape().dim(1);
            double[] inverse = new Cholesky(hessians.get(p.name()), in, "the dampened Gram matrix of " + p.name())
                    .inverse();
            float[] w = context.weights().get(p.name()).data();
            float[] s = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                int q = i % in;
                s[i] = (float) ((double) w[i] * w[i] / (2 * inverse[q * in + q]));
            }
            out.put(p.name(), s);
        }
        return new Scores(out);
    }

    @Override
    public Optional<Weights> compensate(ObsOptions options, PruningContext context, MaskSet masks) {
        if (options.update() == ObsUpdate.NONE) {
            return Optional.empty();
        }
        Map<String, double[]> hessians = hessians(options, context);
        Map<String, Tensor> corrected = new LinkedHashMap<>();
        for (ParameterSpec p : context.prunable()) {
            Optional<Mask> mask = masks.get(p.name());
            if (mask.isEmpty()) {
                continue;
            }
            int out = p.shape().dim(0);
            int in = p.shape().dim(1);
            float[] w = context.weights().get(p.name()).data().clone();
            boolean exact = options.update() == ObsUpdate.EXACT
                    || options.update() == ObsUpdate.AUTO && in <= EXACT_LIMIT;
            if (exact) {
                correctExactly(w, out, in, mask.get(), hessians.get(p.name()), p.name());
            } else {
                correctSequentially(w, out, in, mask.get(), hessians.get(p.name()), p.name());
            }
            corrected.put(p.name(), new Tensor(p.shape(), w));
        }
        return Optional.of(new Weights(corrected));
    }

    /** The dampened H = XᵀX + λ·mean(diag)·I of every prunable weight's inputs, row-major doubles. */
    private static Map<String, double[]> hessians(ObsOptions options, PruningContext context) {
        if (context.calibration().isEmpty()) {
            throw new BonsaiException("strategy 'obs' needs calibration batches, and none were given");
        }
        List<String> names = context.prunable().stream().map(ParameterSpec::name).toList();
        for (ParameterSpec p : context.prunable()) {
            if (p.shape().rank() != 2) {
                throw new BonsaiException("obs handles dense weights only; '" + p.name() + "' has shape " + p.shape());
            }
        }
        Map<String, Tensor> grams = context.capability(LayerInputProbe.class).inputGram(context.calibration(), names);
        Map<String, double[]> out = new LinkedHashMap<>();
        for (ParameterSpec p : context.prunable()) {
            Tensor g = grams.get(p.name());
            int in = p.shape().dim(1);
            if (g == null || !g.shape().equals(dev.bonsai.api.model.Shape.of(in, in))) {
                throw new BonsaiException("the layer-input probe gave no [" + in + ", " + in + "] Gram matrix for '"
                        + p.name() + "'");
            }
            double[] h = new double[in * in];
            double trace = 0;
            for (int i = 0; i < h.length; i++) {
                h[i] = g.data()[i];
            }
            for (int q = 0; q < in; q++) {
                trace += h[q * in + q];
            }
            double damp = options.dampening() * (trace > 0 ? trace / in : 1);
            for (int q = 0; q < in; q++) {
                h[q * in + q] += damp;
            }
            out.put(p.name(), h);
        }
        return out;
    }

    /** ŵ_K = w_K + H_KK⁻¹·H_KP·w_P and ŵ_P = 0, row by row. */
    static void correctExactly(float[] w, int out, int in, Mask mask, double[] h, String name) {
        for (int r = 0; r < out; r++) {
            int[] kept = new int[in];
            int[] pruned = new int[in];
            int nk = 0;
            int np = 0;
            for (int q = 0; q < in; q++) {
                if (mask.kept(r * in + q)) {
                    kept[nk++] = q;
                } else {
                    pruned[np++] = q;
                }
            }
            if (np == 0) {
                continue;
            }
            if (nk > 0) {
                double[] hkk = new double[nk * nk];
                double[] rhs = new double[nk];
                for (int a = 0; a < nk; a++) {
                    for (int b = 0; b < nk; b++) {
                        hkk[a * nk + b] = h[kept[a] * in + kept[b]];
                    }
                    double s = 0;
                    for (int b = 0; b < np; b++) {
                        s += h[kept[a] * in + pruned[b]] * w[r * in + pruned[b]];
                    }
                    rhs[a] = s;
                }
                new Cholesky(hkk, nk, "H_KK of " + name + " row " + r).solve(rhs);
                for (int a = 0; a < nk; a++) {
                    w[r * in + kept[a]] += (float) rhs[a];
                }
            }
            for (int b = 0; b < np; b++) {
                w[r * in + pruned[b]] = 0f;
            }
        }
    }

    /**
     * SparseGPT's correction: with U the upper Cholesky factor of H⁻¹, for each column i in order and each row
     * whose weight i is pruned, w[r, i:] −= (w[r, i] / U[i, i])·U[i, i:].
     */
    static void correctSequentially(float[] w, int out, int in, Mask mask, double[] h, String name) {
        double[] inverse = new Cholesky(h, in, "the dampened Gram matrix of " + name).inverse();
        double[] u = new Cholesky(inverse, in, "H⁻¹ of " + name).upper();
        double[] row = new double[in];
        for (int r = 0; r < out; r++) {
            boolean any = false;
            for (int q = 0; q < in; q++) {
                row[q] = w[r * in + q];
                any |= !mask.kept(r * in + q);
            }
            if (!any) {
                continue;
            }
            for (int i = 0; i < in; i++) {
                if (mask.kept(r * in + i)) {
                    continue;
                }
                double err = row[i] / u[i * in + i];
                for (int j = i; j < in; j++) {
                    row[j] -= err * u[i * in + j];
                }
                row[i] = 0;
            }
            for (int q = 0; q < in; q++) {
                w[r * in + q] = mask.kept(r * in + q) ? (float) row[q] : 0f;
            }
        }
    }
}
