/**
 * Experiment descriptors: YAML read with locations ({@link dev.bonsai.experiments.descriptor.YamlReader}),
 * bound to typed records ({@link dev.bonsai.experiments.descriptor.Binder}) with every plugin resolved and its
 * options bound, and validated before any work starts. All problems of a file are reported at once, each with its
 * file, line and column ({@link dev.bonsai.experiments.descriptor.DescriptorException}).
 */
package dev.bonsai.experiments.descriptor;
