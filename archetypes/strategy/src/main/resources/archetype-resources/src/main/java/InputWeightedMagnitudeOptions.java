package ${package};

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * The options of {@link InputWeightedMagnitudeStrategy}, bound by Bonsai from the descriptor entry, for example
 * {@code {id: input-weighted-magnitude, input_power: 0.5}}: each component's descriptor key is its name in
 * snake_case.
 *
 * @param inputPower the exponent p of the input norm in |W_ij| · ‖X_j‖₂^p
 */
public record InputWeightedMagnitudeOptions(
        @Doc("Exponent p of the input norm in |W_ij|·‖X_j‖₂^p: 0 is plain magnitude, 1 is Wanda's score.")
        @DefaultValue("1") @Range(min = 0, max = 4) double inputPower) {
}
