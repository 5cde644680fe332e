/**
 * Random pruning ({@code random}): the baseline every pruning comparison should report.
 *
 * <p>D. Blalock, J. J. Gonzalez Ortiz, J. Frankle and J. Guttag, "What is the State of Neural Network
 * Pruning?", MLSys 2020; S. Liu et al., "The Unreasonable Effectiveness of Random Pruning", ICLR 2022.
 */
package dev.bonsai.strategies.random;
