package dev.bonsai.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmarks are wired: JMH's annotation processor generated them (the benchmark list is on the class path), and
 * one of them runs in this JVM (no fork, no warm-up, one short iteration) and reports a finite positive time. It
 * measures nothing worth reading; the figures come from the benchmarks jar (README).
 */
class JmhSmokeTest {

    /** Catches: a module whose annotation processing was lost (no benchmark found) or a benchmark that throws. */
    @Test
    void oneBenchmarkRunsAndReportsATime() throws RunnerException {
        Options options = new OptionsBuilder()
                .include(MaskSelectionBenchmark.class.getName() + ".select")
                .param("scope", "GLOBAL")
                .param("structure", "unstructured")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .timeUnit(TimeUnit.MICROSECONDS)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        assertThat(results).hasSize(1);
        double score = results.iterator().next().getPrimaryResult().getScore();
        assertThat(score).as("microseconds per selection").isPositive().isFinite();
    }
}
