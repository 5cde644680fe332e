/**
 * Throughput benchmarks ({@code bonsai bench}): training and inference samples per second of zoo models on
 * synthetic data of a chosen shape, per engine and device, optionally next to a peer program measured in the same
 * run.
 */
package dev.bonsai.experiments.bench;
