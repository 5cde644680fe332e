/** The baseline without distillation: the {@code none} recipe. */
package dev.bonsai.strategies.hardlabels;
