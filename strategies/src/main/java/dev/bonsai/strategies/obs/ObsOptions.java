package dev.bonsai.strategies.obs;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of layerwise optimal brain surgeon.
 *
 * @param dampening λ: H = XᵀX + λ·mean(diag XᵀX)·I
 * @param update    how the remaining weights are corrected
 */
public record ObsOptions(
        @Doc("Dampening λ relative to the mean of the Gram diagonal: H = XᵀX + λ·mean(diag)·I.") @DefaultValue("0.01")
        @Range(min = 0, minExclusive = true, max = 10) double dampening,
        @Doc("Weight correction: auto (exact up to 1024 inputs, else sequential), exact, sequential or none.")
        @DefaultValue("auto") ObsUpdate update) {
}
