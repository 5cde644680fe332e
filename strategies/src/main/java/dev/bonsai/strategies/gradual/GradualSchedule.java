package dev.bonsai.strategies.gradual;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.prune.PruningSchedule;
import dev.bonsai.api.prune.PruningStep;
import dev.bonsai.api.prune.TrainingPruningStep;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradual pruning ({@code gradual}) as Zhu and Gupta define it: during one fine-tuning run of T optimizer steps the
 * sparsity follows s<sub>t</sub> = s<sub>f</sub> + (s<sub>i</sub> − s<sub>f</sub>)·(1 − (t − t<sub>0</sub>)/(n·Δt))³,
 * and the weights are pruned to it at t ∈ {t<sub>0</sub>, t<sub>0</sub> + Δt, …, t<sub>0</sub> + n·Δt}; the steps
 * after the last pruning train at the final mask. Pruning fast at first and slowly near the target lets training
 * recover between the steps. The optimizer state, learning-rate schedule and batch order carry on across the pruning
 * steps (the host prunes from a {@link dev.bonsai.api.engine.TrainingListener}).
 *
 * <p>M. Zhu and S. Gupta, "To prune, or not to prune: exploring the efficacy of pruning for model compression",
 * ICLR Workshop 2018, eq. (1). The {@code agp} schedule is the same ramp over rounds of pruning each followed by
 * whole epochs of fine-tuning with a fresh optimizer; this one is the paper's procedure.
 */
public final class GradualSchedule implements PruningSchedule<GradualOptions> {

    /** Creates the schedule; it is stateless. */
    public GradualSchedule() {
    }

    @Override
    public String id() {
        return "gradual";
    }

    @Override
    public String description() {
        return "Gradual: cubic sparsity ramp pruned every Δt optimizer steps during fine-tuning (Zhu & Gupta 2018)";
    }

    @Override
    public Class<GradualOptions> optionsType() {
        return GradualOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    /** One round at the target whose fine-tuning holds the pruning steps of {@link #duringTraining}. */
    @Override
    public List<PruningStep> steps(double target, int finetuneEpochs, GradualOptions options) {
        return List.of(new PruningStep(target, finetuneEpochs));
    }

    @Override
    public List<TrainingPruningStep> duringTraining(double target, long stepsPerEpoch, int epochs,
            GradualOptions options) {
        long total = stepsPerEpoch * epochs;
        if (total <= 0) {
            throw new BonsaiException("gradual schedule prunes during fine-tuning, but the fine-tuning has no steps ("
                    + epochs + " epoch(s) of " + stepsPerEpoch + " steps); set prune.finetune.epochs ≥ 1");
        }
        if (options.initial() > target) {
            throw new BonsaiException("gradual schedule: the initial sparsity " + options.initial()
                    + " must not exceed the target sparsity " + target + "; lower schedule.initial");
        }
        int n = options.pruningSteps();
        long t0 = options.startEpoch() > 0 ? options.startEpoch() * stepsPerEpoch : options.start();
        if (t0 >= total) {
            throw new BonsaiException("gradual schedule: the first pruning step t0 = " + t0 + " is not inside the "
                    + total + " steps of fine-tuning (" + epochs + " epoch(s) × " + stepsPerEpoch
                    + "); lower schedule.start / schedule.start_epoch or fine-tune longer");
        }
        long dt = options.every();
        if (dt == 0) {
            dt = (total - t0) / (2L * n);
            if (dt == 0) {
                throw new BonsaiException("gradual schedule: " + (n + 1) + " pruning steps do not fit in the first half"
                        + " of the " + (total - t0) + " fine-tuning steps after t0 = " + t0
                        + "; lower schedule.pruning_steps, set schedule.every or fine-tune longer");
            }
        }
        long last = t0 + n * dt;
        if (last > total) {
            throw new BonsaiException("gradual schedule: the last pruning step t0 + n·Δt = " + t0 + " + " + n + "·" + dt
                    + " = " + last + " is past the end of the " + total + " fine-tuning steps (" + epochs
                    + " epoch(s) × " + stepsPerEpoch + "); lower schedule.every or schedule.pruning_steps, or"
                    + " fine-tune longer");
        }
        List<TrainingPruningStep> out = new ArrayList<>(n + 1);
        for (int k = 0; k <= n; k++) {
            out.add(new TrainingPruningStep(t0 + k * dt, k == n ? target : sparsity(target, options.initial(), k, n)));
        }
        return List.copyOf(out);
    }

    /** s<sub>f</sub> + (s<sub>i</sub> − s<sub>f</sub>)·(1 − k/n)³, the sparsity of pruning step k of n. */
    static double sparsity(double target, double initial, int k, int n) {
        double remaining = 1 - (double) k / n;
        return target + (initial - target) * remaining * remaining * remaining;
    }
}
