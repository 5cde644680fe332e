/** First-order Taylor scores |w · g|. */
package dev.bonsai.strategies.taylor;
