/** The {@code local} trial executor: trials in the driver's JVM, one at a time or in a bounded pool. */
package dev.bonsai.experiments.executor.local;
