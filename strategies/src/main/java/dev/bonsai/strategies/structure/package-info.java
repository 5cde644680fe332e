/**
 * Structured pruning made real, over one mechanism: a {@link dev.bonsai.strategies.structure.PruningGroup} is a set
 * of coupled parameter slices removed together, each {@link dev.bonsai.strategies.structure.GroupKind} declares the
 * groups of the layers it knows (neurons of dense layers, conv channels with their bias and batch-norm entries and
 * their consumer's columns ({@link dev.bonsai.strategies.structure.ChannelGroups}), attention heads
 * ({@link dev.bonsai.strategies.structure.AttentionHeads}), transformer MLP hidden units, whole blocks), and
 * {@link dev.bonsai.strategies.structure.PruningGroups} scores, selects, masks and compacts them the same way for
 * every kind: compaction rewrites the model spec and slices the weights. A new kind is registered in
 * {@link dev.bonsai.strategies.structure.GroupKinds}.
 */
package dev.bonsai.strategies.structure;
