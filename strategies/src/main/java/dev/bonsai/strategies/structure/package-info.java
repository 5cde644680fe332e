/**
 * Structured pruning made real: removing pruned neurons ({@link dev.bonsai.strategies.structure.NeuronCompaction})
 * or conv channels ({@link dev.bonsai.strategies.structure.ChannelCompaction}, with
 * {@link dev.bonsai.strategies.structure.ChannelGroups} saying which convs qualify and what a channel's mask covers)
 * or attention heads ({@link dev.bonsai.strategies.structure.HeadCompaction}, with
 * {@link dev.bonsai.strategies.structure.AttentionHeads} scoring, selecting and masking heads as units) rewrites the
 * model spec and slices the weights.
 */
package dev.bonsai.strategies.structure;
