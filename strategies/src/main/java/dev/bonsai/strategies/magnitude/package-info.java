/**
 * Magnitude pruning ({@code magnitude}): the smallest weights matter least.
 *
 * <p>S. Han, J. Pool, J. Tran and W. J. Dally, "Learning both Weights and Connections for Efficient Neural
 * Networks", NeurIPS 2015. The strategy only scores; selection under a scope and structure is done by
 * {@link dev.bonsai.strategies.selection.MaskSelector}.
 */
package dev.bonsai.strategies.magnitude;
