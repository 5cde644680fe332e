package dev.bonsai.strategies.lottery;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of the lottery-ticket schedule.
 *
 * @param rounds pruning rounds, each followed by rewinding and retraining
 */
public record LotteryOptions(
        @Doc("Rounds of prune → rewind to the initial weights → retrain for prune.finetune.epochs.")
        @DefaultValue("5") @Range(min = 1, max = 100) int rounds) {
}
