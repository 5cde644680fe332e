/**
 * The gradual schedule ({@code gradual}): Zhu and Gupta's cubic sparsity ramp, pruning every Δt optimizer steps
 * inside one fine-tuning run.
 */
package dev.bonsai.strategies.gradual;
