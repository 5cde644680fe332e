/** Small helpers shared by strategies: per-parameter scoring loops and gradient averages. */
package dev.bonsai.strategies.scoring;
