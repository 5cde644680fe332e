/** Structured pruning made real: removing pruned neurons rewrites the model spec and slices the weights. */
package dev.bonsai.strategies.structure;
