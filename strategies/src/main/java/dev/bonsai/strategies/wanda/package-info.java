/** Wanda: weights times input activation norms. */
package dev.bonsai.strategies.wanda;
