package dev.bonsai.strategies.sequencelevel;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of sequence-level distillation.
 *
 * @param tokens      language models: how many tokens of text the teacher writes
 * @param streams     language models: how many independent texts it writes them as
 * @param temperature language models: the sampling temperature (0: greedy)
 * @param topK        language models: sample from the k likeliest tokens only (0: all)
 * @param labels      what the student learns on the teacher's data: its hard labels, or its soft labels
 */
@Doc("Options of sequence-level distillation (Kim & Rush 2016): the teacher writes the student's training data.")
public record SequenceLevelOptions(
        @Doc("Language models: tokens of text the teacher writes (the cost of writing grows with it: one forward pass "
                + "of the teacher's context per token).") @DefaultValue("100000") @Range(min = 1, max = 100_000_000)
        int tokens,
        @Doc("Language models: independent texts the tokens are written as, in parallel; each starts from a token "
                + "drawn from the training data.") @DefaultValue("64") @Range(min = 1) int streams,
        @Doc("Language models: sampling temperature; 0 takes the likeliest token (beam search's cheap cousin).")
        @DefaultValue("1.0") @Range(min = 0, max = 100) double temperature,
        @Doc("Language models: sample from the k likeliest tokens only; 0 from all.") @DefaultValue("0")
        @Range(min = 0) int topK,
        @Doc("hard: the student learns the teacher's data (its text, or its arg-max labels of a classifier's "
                + "training inputs) with cross-entropy; soft: it learns the teacher's whole distribution on that data "
                + "(KL at temperature 1; for a classifier, on the training inputs themselves).")
        @DefaultValue("hard") Labels labels) {

    /** What the student learns on the teacher's data. */
    public enum Labels {
        /** The teacher's tokens or arg-max labels, by cross-entropy. */
        HARD,
        /** The teacher's distribution, by KL divergence at temperature 1. */
        SOFT
    }
}
