/**
 * Pruning as score → select → schedule → enforce: each step has one owner, so a strategy is only a scoring rule.
 *
 * <p>A {@link dev.bonsai.api.prune.PruningStrategy} only computes {@link dev.bonsai.api.prune.Scores} (higher
 * means more important). The host's selector turns scores into a {@link dev.bonsai.api.prune.MaskSet} for a
 * target sparsity under a {@link dev.bonsai.api.prune.Scope} and a {@link dev.bonsai.api.prune.Structure}; a
 * {@link dev.bonsai.api.prune.PruningSchedule} decides when; the engine enforces the masks during training.
 * Masks are engine-free data. A strategy may fix the scope its scores are compared under
 * ({@link dev.bonsai.api.prune.PruningStrategy#scope}). The one exception to scoring is a
 * {@link dev.bonsai.api.prune.MaskSelectingStrategy}, whose choices depend on its own weight updates: it receives
 * the target ({@link dev.bonsai.api.prune.MaskTarget}) and returns masks and weights, which the host checks and
 * enforces.
 */
package dev.bonsai.api.prune;
