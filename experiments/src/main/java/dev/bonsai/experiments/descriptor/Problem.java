package dev.bonsai.experiments.descriptor;

/**
 * One thing wrong with a descriptor.
 *
 * @param location where
 * @param path     the key path, for example {@code prune.sparsities[0]}
 * @param message  what is wrong and what to do
 */
public record Problem(Location location, String path, String message) {
}
