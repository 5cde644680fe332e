/**
 * Selection: the "select" of score → select → schedule → enforce.
 *
 * <p>{@link dev.bonsai.strategies.selection.MaskSelector} turns a strategy's
 * {@link dev.bonsai.api.prune.Scores} into a {@link dev.bonsai.api.prune.MaskSet} that meets a target sparsity
 * under a {@link dev.bonsai.api.prune.Scope} (layerwise or global) and a {@link dev.bonsai.api.prune.Structure}
 * (unstructured or N:M). Selection is exact and deterministic: the number of pruned elements is
 * {@code round(target × count)} whatever the ties, and ties are broken by parameter order, then element index.
 */
package dev.bonsai.strategies.selection;
