/** Hinton et al.'s soft-target distillation: the {@code hinton} recipe. */
package dev.bonsai.strategies.hinton;
