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
 * @param resources what it needs where it runs
 */
public record PlannedTrial(String id, int index, long seed, String strategy, double sparsity, Resources resources) {
    /** Checks the fields. */
    public PlannedTrial {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(resources, "resources");
    }

    /** A label for logs: {@code #3 seed 1 · magnitude @ 0.5}. */
    public String label() {
        return "#" + index + " seed " + seed + " · " + strategy + " @ " + sparsity;
    }
}
