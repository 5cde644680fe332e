/**
 * Composition of Bonsai: {@link dev.bonsai.experiments.Bonsai} discovers plugins, reads descriptors and runs
 * experiments, each in its own Guice injector. Sub-packages hold the descriptor model, plugin discovery, the
 * runner, and the {@code bonsai} command line.
 */
package dev.bonsai.experiments;
