/**
 * Movement pruning ({@code movement}): scores accumulated during fine-tuning from the weights and their gradients
 * (Sanh, Wolf and Rush 2020).
 */
package dev.bonsai.strategies.movement;
