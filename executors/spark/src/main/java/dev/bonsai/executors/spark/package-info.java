/**
 * The {@code spark} trial executor (an optional module): a sweep's trials as Spark tasks, on {@code local[n]}, on
 * {@code local-cluster} or on a standalone cluster. Trials asking for GPUs or hardware tags are placed by Spark's
 * resource scheduling; the GPU a task is given becomes the engine's device. Records come back to the driver, which
 * appends them to the run's results file as each trial finishes.
 */
package dev.bonsai.executors.spark;
