/**
 * The one-shot schedule ({@code one-shot}): prune to the target once, then fine-tune.
 *
 * <p>As in the prune-then-retrain pipeline of S. Han, J. Pool, J. Tran and W. J. Dally, "Learning both Weights
 * and Connections for Efficient Neural Networks", NeurIPS 2015, with a single pruning step.
 */
package dev.bonsai.strategies.oneshot;
