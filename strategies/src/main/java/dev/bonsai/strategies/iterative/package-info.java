/**
 * The iterative schedule ({@code iterative}): several rounds of pruning and fine-tuning, each removing the same
 * fraction of the weights that remain.
 *
 * <p>Iterative magnitude pruning as in S. Han, J. Pool, J. Tran and W. J. Dally, "Learning both Weights and
 * Connections for Efficient Neural Networks", NeurIPS 2015, and J. Frankle and M. Carbin, "The Lottery Ticket
 * Hypothesis: Finding Sparse, Trainable Neural Networks", ICLR 2019.
 */
package dev.bonsai.strategies.iterative;
