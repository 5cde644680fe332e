package dev.bonsai.engine.djl;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of the DJL / PyTorch engine.
 *
 * @param threads intra-op threads PyTorch uses for one operator; 0 keeps PyTorch's default (one per core). The
 *                setting is process-wide, as it is in PyTorch.
 */
@Doc("Options of the DJL / PyTorch engine.")
public record DjlOptions(
        @Doc("Intra-op threads PyTorch uses for one operator (process-wide); 0 keeps PyTorch's default, one per core.")
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
