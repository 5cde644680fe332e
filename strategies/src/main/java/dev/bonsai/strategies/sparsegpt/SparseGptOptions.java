package dev.bonsai.strategies.sparsegpt;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of SparseGPT.
 *
 * @param dampening λ: H += λ·mean(diag H)·I
 * @param blocksize columns per block of the lazy update and of the adaptive mask selection
 */
public record SparseGptOptions(
        @Doc("Dampening λ relative to the mean of the input Hessian's diagonal: H += λ·mean(diag H)·I.")
        @DefaultValue("0.01") @Range(min = 0, minExclusive = true, max = 10) double dampening,
        @Doc("Columns per block: each block's mask is chosen over all its rows at once, and its errors update the "
                + "later columns in one step. A multiple of m for N:M.") @DefaultValue("128") @Range(min = 1)
        int blocksize) {
}
