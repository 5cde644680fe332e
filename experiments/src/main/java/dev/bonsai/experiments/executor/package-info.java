/**
 * Trial executors: the seam between a sweep and where its trials run.
 *
 * <p>A run expands its descriptor into {@link dev.bonsai.experiments.executor.PlannedTrial}s, each with the
 * {@link dev.bonsai.experiments.executor.Resources} it needs and its place in the sweep, and hands the unfinished
 * ones to a {@link dev.bonsai.experiments.executor.TrialExecutor} plugin ({@code local} in this JVM, {@code slurm}
 * as job arrays, {@code spark} from the optional {@code executors/spark} module). Whatever the executor, each
 * trial's record comes back to the run's {@link dev.bonsai.experiments.executor.RecordSink} or is appended to the
 * run's {@code results.jsonl} by the process that ran it, exactly as a local run writes it, so resuming and merging
 * work unchanged.
 *
 * <p>The SPI lives here rather than in {@code api}: an executor runs whole Bonsai trials (descriptor, plugins,
 * engines, the results store) in other processes, so it needs this module's types and runtime on every worker
 * anyway, while {@code api} stays the JDK-only contract of the computational plugins. External executor jars see
 * this package through the plugin class loader, as they see {@code dev.bonsai.api}.
 */
package dev.bonsai.experiments.executor;
