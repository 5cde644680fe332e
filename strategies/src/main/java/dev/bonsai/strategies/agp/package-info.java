/** Gradual pruning with the cubic schedule of Zhu and Gupta. */
package dev.bonsai.strategies.agp;
