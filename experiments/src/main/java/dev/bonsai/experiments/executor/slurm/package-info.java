/**
 * The {@code slurm} trial executor: one job array per group of trials with the same resources, each array task
 * running {@code bonsai trial} for its trial and appending the record to the run's results file; the submissions
 * are kept in {@code OUT/slurm/} so that {@code bonsai sweep status} can say what is queued, running, done and
 * failed, and {@code bonsai sweep resubmit} can send failed trials again, alone.
 */
package dev.bonsai.experiments.executor.slurm;
