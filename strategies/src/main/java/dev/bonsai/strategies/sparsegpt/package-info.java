/** SparseGPT: one-shot pruning that selects its masks while it corrects the remaining weights. */
package dev.bonsai.strategies.sparsegpt;
