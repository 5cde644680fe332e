package dev.bonsai.experiments.executor;

import java.util.Objects;

/**
 * One trial of a sweep as an executor sees it.
 *
 * @param id        the trial's id, a hash of what determines it (see {@code SweepPlanner}); it names the trial in
 *                  records, so a record lands in the same place whoever computes it
 * @param index     its place in the sweep's deterministic order (0-based, over all trials, finished or not)
 * @param seed      its seed
 * @param strategy  its strategy label, or {@code none}
 * @param sparsity  its target sparsity
 * @param engine    its engine as records tell engines apart, {@code id:device}
 * @param device    its engine's device as the descriptor names it ({@code cpu}, {@code cuda}, {@code cuda:1}); an
 *                  executor that assigns GPUs replaces a {@code cuda} device with the GPU it assigned
 * @param resources what it needs where it runs
 */
public record PlannedTrial(String id, int index, long seed, String strategy, double sparsity, String engine,
        String device, Resources resources) {
    /** Checks the fields. */
    public PlannedTrial {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(resources, "resources");
    }

    /** A label for logs: {@code #3 djl:cpu · seed 1 · magnitude @ 0.5}. */
    public String label() {
        return "#" + index + " " + engine + " · seed " + seed + " · " + strategy + " @ " + sparsity;
    }
}
