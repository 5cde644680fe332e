package dev.bonsai.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RunQueueWaitTest {
    @Test
    void readsTheRunQueueWaitFromTheKernelsFormat() {
        assertThat(RunQueueWait.waitNanos("4033624 24571544 2\n")).isEqualTo(24_571_544L);
        assertThatThrownBy(() -> RunQueueWait.waitNanos("12 34")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unexpected schedstat: '12 34'");
        assertThatThrownBy(() -> RunQueueWait.waitNanos("12 x 3")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void waitingThreadsAreTheWaitsGrowthPerWallTime() {
        // 1.5 s of waiting summed over threads during 1 s: one and a half threads waited on average
        assertThat(RunQueueWait.waitingThreads(2_000_000_000L, 3_500_000_000L, 1_000_000_000L))
                .isCloseTo(1.5, Offset.offset(1e-12));
        assertThat(RunQueueWait.waitingThreads(5, 3, 1_000)).as("threads ended").isZero();
        assertThat(RunQueueWait.waitingThreads(5, 9, 0)).isZero();
    }

    @Test
    void threadsBeyondTheCoresWaitForThem() throws Exception {
        assumeThat(Files.isReadable(Path.of("/proc/self/task"))).as("Linux /proc").isTrue();
        int cores = Runtime.getRuntime().availableProcessors();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> spinners = new ArrayList<>();
        long before = RunQueueWait.read().orElseThrow();
        for (int i = 0; i < cores + 2; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    Thread.onSpinWait();
                }
            });
            t.setDaemon(true);
            t.start();
            spinners.add(t);
        }
        try {
            long start = System.nanoTime();
            long first = RunQueueWait.read().orElseThrow();
            Thread.sleep(1000);
            long last = RunQueueWait.read().orElseThrow();
            assertThat(first).isGreaterThanOrEqualTo(before);
            // cores + 2 spinning threads on the cores: at least 2 of them wait at any moment (more where other
            // processes use cores too)
            assertThat(RunQueueWait.waitingThreads(first, last, System.nanoTime() - start)).isGreaterThan(1.0);
        } finally {
            stop.set(true);
            for (Thread t : spinners) {
                t.join();
            }
        }
    }
}
