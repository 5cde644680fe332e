/**
 * JMH benchmarks of Bonsai's hot paths: a training step of LeNet-300-100 at batch 128 on each engine (with and
 * without masks enforced), applying masks, selecting masks from scores (layerwise, global, N:M), the layerwise OBS
 * update from a 784×784 input Gram matrix, and the curvature probes (Gauss–Newton, empirical Fisher, Hutchinson)
 * beside the plain gradient they are built from. They measure code paths in isolation; {@code bonsai bench}
 * measures whole epochs and models end to end. The README says how to run them.
 */
package dev.bonsai.benchmarks;
