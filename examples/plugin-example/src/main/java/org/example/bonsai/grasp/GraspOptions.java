package org.example.bonsai.grasp;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;

/**
 * The options of {@code grasp}, bound from the descriptor: {@code {id: grasp, absolute: true}}.
 *
 * @param absolute score |θ ⊙ Hg| instead of θ ⊙ Hg (the magnitude variant of Lubana and Dick, ICLR 2021)
 */
public record GraspOptions(
        @Doc("Score |θ ⊙ Hg| instead of θ ⊙ Hg: keep the weights that change gradient flow most in either"
                + " direction (Lubana & Dick 2021).") @DefaultValue("false") boolean absolute) {
}
