package dev.bonsai.strategies.agp;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of gradual pruning.
 *
 * @param rounds pruning rounds, each followed by the descriptor's fine-tuning epochs
 */
public record AgpOptions(
        @Doc("Pruning rounds; each is followed by prune.finetune.epochs of fine-tuning.") @DefaultValue("10")
        @Range(min = 1, max = 1000) int rounds) {
}
