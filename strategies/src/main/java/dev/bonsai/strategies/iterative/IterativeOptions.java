package dev.bonsai.strategies.iterative;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of the {@link IterativeSchedule}.
 *
 * @param rounds the number of pruning rounds
 */
@Doc("Iterative pruning: the kept fraction shrinks geometrically over the rounds, with fine-tuning after each.")
public record IterativeOptions(
        @Doc("Number of pruning rounds; the last reaches the target sparsity.")
        @DefaultValue("4")
        @Range(min = 1)
        int rounds) {

    /**
     * Checks the values.
     *
     * @param rounds the number of pruning rounds, at least 1
     */
    public IterativeOptions {
        if (rounds < 1) {
            throw new IllegalArgumentException("iterative schedule needs rounds ≥ 1, got " + rounds);
        }
    }
}
