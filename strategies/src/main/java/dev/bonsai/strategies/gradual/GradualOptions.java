package dev.bonsai.strategies.gradual;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of the {@link GradualSchedule}.
 *
 * @param initial      the initial sparsity s<sub>i</sub> of the first pruning step
 * @param start        the first pruning step t<sub>0</sub>, in optimizer steps from the start of fine-tuning
 * @param startEpoch   the first pruning step in epochs instead (t<sub>0</sub> = epochs × steps per epoch)
 * @param every        Δt, the optimizer steps between two pruning steps; 0 spreads them over the first half of the
 *                     training after t<sub>0</sub>
 * @param pruningSteps n: the ramp prunes at t<sub>0</sub>, t<sub>0</sub> + Δt, …, t<sub>0</sub> + n·Δt
 */
@Doc("Gradual pruning during fine-tuning: s_t = s_f + (s_i − s_f)·(1 − (t − t0)/(n·Δt))³, pruning every Δt steps.")
public record GradualOptions(
        @Doc("Initial sparsity s_i, reached at the first pruning step t0; at most the target.")
        @DefaultValue("0") @Range(min = 0, max = 1, maxExclusive = true) double initial,
        @Doc("First pruning step t0, in optimizer steps from the start of fine-tuning (or use start_epoch).")
        @DefaultValue("0") @Range(min = 0) int start,
        @Doc("First pruning step t0 in epochs of fine-tuning instead of steps; not together with start.")
        @DefaultValue("0") @Range(min = 0) int startEpoch,
        @Doc("Δt: optimizer steps between two pruning steps; 0 spreads the pruning over the first half of the"
                + " fine-tuning after t0.")
        @DefaultValue("0") @Range(min = 0) int every,
        @Doc("n: the number of pruning intervals; the ramp prunes n + 1 times, at t0, t0 + Δt, …, t0 + n·Δt.")
        @DefaultValue("10") @Range(min = 1, max = 100000) int pruningSteps) {

    /** Checks the values. */
    public GradualOptions {
        if (!(initial >= 0 && initial < 1)) {
            throw new IllegalArgumentException("gradual schedule: initial sparsity must be in [0, 1), got " + initial);
        }
        if (start < 0 || startEpoch < 0 || every < 0) {
            throw new IllegalArgumentException("gradual schedule: start, start_epoch and every must be ≥ 0");
        }
        if (start > 0 && startEpoch > 0) {
            throw new IllegalArgumentException("gradual schedule: give the first pruning step as start (steps) or"
                    + " start_epoch (epochs), not both");
        }
        if (pruningSteps < 1) {
            throw new IllegalArgumentException("gradual schedule: pruning_steps must be ≥ 1, got " + pruningSteps);
        }
    }
}
