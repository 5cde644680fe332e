package dev.bonsai.strategies.wanda;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;

/**
 * Options of Wanda.
 *
 * @param comparison which weights the scores compete with
 */
public record WandaOptions(
        @Doc("Which weights compete: row (within each output row, as in the paper; overrides the descriptor's scope) "
                + "or scope (under the descriptor's scope).") @DefaultValue("row") WandaComparison comparison) {
}
