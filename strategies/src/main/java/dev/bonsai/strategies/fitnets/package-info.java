/** FitNets' two-stage hint training: the {@code fitnets} recipe. */
package dev.bonsai.strategies.fitnets;
