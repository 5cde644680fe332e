package dev.bonsai.strategies.logitmse;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of logit matching.
 *
 * @param alpha the weight α of the logit regression term; the hard-label cross-entropy gets 1 - α
 */
public record LogitMseOptions(
        @Doc("Weight α of the squared error to the teacher's logits; the hard-label cross-entropy gets 1 - α "
                + "(1: logits only, as in the paper).") @DefaultValue("1") @Range(min = 0, max = 1) double alpha) {
}
