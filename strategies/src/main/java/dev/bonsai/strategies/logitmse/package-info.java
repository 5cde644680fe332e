/** Logit matching: the {@code logit-mse} recipe. */
package dev.bonsai.strategies.logitmse;
