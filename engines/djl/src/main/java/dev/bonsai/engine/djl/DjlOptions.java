package dev.bonsai.engine.djl;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of the DJL / PyTorch engine.
 *
 * @param threads intra-op threads PyTorch uses for one operator, set on each thread that runs a network; 0 (the
 *                default) uses one per core, fewer while other processes keep this one's threads waiting for cores
 *                (re-read every second), or PyTorch's own count where {@code OMP_NUM_THREADS} or the
 *                {@code ai.djl.pytorch.num_threads} property sets one.
 */
@Doc("Options of the DJL / PyTorch engine.")
public record DjlOptions(
        @Doc("Intra-op threads PyTorch uses for one operator; 0 uses one per core, fewer while other processes keep"
                + " its threads waiting for cores (or OMP_NUM_THREADS where it is set).")
        @DefaultValue("0") @Range(min = 0, max = 4096) int threads) {

    /** Checks the values. */
    public DjlOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be ≥ 0, got " + threads);
        }
    }

    /** The options with every value at its default. */
    public static DjlOptions defaults() {
        return new DjlOptions(0);
    }
}
