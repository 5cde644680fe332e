/**
 * Text generation from causal language models on any engine: {@link dev.bonsai.strategies.generation.Sampling}
 * (temperature, top-k, greedy) and the batched, seeded {@link dev.bonsai.strategies.generation.Generator}, used by
 * {@code bonsai sample} and by the {@code sequence-level} distillation recipe.
 */
package dev.bonsai.strategies.generation;
