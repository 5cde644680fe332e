/** Iterative magnitude pruning with rewinding: the lottery ticket procedure. */
package dev.bonsai.strategies.lottery;
