/** LAMP: layer-adaptive magnitude-based pruning scores. */
package dev.bonsai.strategies.lamp;
