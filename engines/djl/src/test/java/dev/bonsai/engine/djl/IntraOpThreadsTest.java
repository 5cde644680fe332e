package dev.bonsai.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IntraOpThreadsTest {
    /**
     * Waiting times, one per {@link IntraOpThreads#INTERVAL_NANOS}, after intervals in which {@code waiting} threads
     * waited on average.
     */
    private static Deque<Optional<Long>> samples(double... waiting) {
        Deque<Optional<Long>> out = new ArrayDeque<>();
        long wait = 0;
        out.add(Optional.of(wait));
        for (double w : waiting) {
            wait += Math.round(w * IntraOpThreads.INTERVAL_NANOS);
            out.add(Optional.of(wait));
        }
        return out;
    }

    @Test
    void eachWaitingThreadTakesOneThreadOffWithHalfAThreadRoundingDown() {
        assertThat(IntraOpThreads.forWait(2, 0.0)).isEqualTo(2);
        assertThat(IntraOpThreads.forWait(2, 0.5)).isEqualTo(2);
        assertThat(IntraOpThreads.forWait(2, 0.51)).isEqualTo(1);
        assertThat(IntraOpThreads.forWait(2, 1.0)).isEqualTo(1);
        assertThat(IntraOpThreads.forWait(2, 7.0)).as("never below one").isEqualTo(1);
        assertThat(IntraOpThreads.forWait(16, 1.2)).isEqualTo(15);
        assertThat(IntraOpThreads.forWait(16, 2.6)).isEqualTo(13);
        assertThat(IntraOpThreads.forWait(2, Double.NaN)).isEqualTo(2);
    }

    @Test
    void adaptiveCountDropsWhenThreadsWaitAndSamplesAtMostOncePerInterval() {
        Deque<Optional<Long>> queue = samples(1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        AtomicLong clock = new AtomicLong();
        List<Integer> set = new ArrayList<>();
        IntraOpThreads threads = IntraOpThreads.adaptive(2, queue::poll, clock::get, set::add);

        threads.apply();
        assertThat(set).as("all cores until a second sample").containsExactly(2);
        clock.addAndGet(IntraOpThreads.INTERVAL_NANOS - 1);
        threads.apply();
        assertThat(queue).as("not sampled before the interval").hasSize(7);

        clock.addAndGet(1);
        threads.apply();
        assertThat(set).as("a thread waited for a core: one thread").containsExactly(2, 1);
        for (int s = 2; s <= 4; s++) {
            clock.addAndGet(IntraOpThreads.INTERVAL_NANOS);
            threads.apply();
        }
        assertThat(set).as("no wait at one thread says nothing of two: unchanged until the next try")
                .containsExactly(2, 1);
        clock.addAndGet(IntraOpThreads.INTERVAL_NANOS);
        threads.apply();
        clock.addAndGet(IntraOpThreads.INTERVAL_NANOS);
        threads.apply();
        assertThat(set).as("all cores tried 2 s later, and kept as no thread waited").containsExactly(2, 1, 2);
        assertThat(threads.current()).isEqualTo(2);
    }

    @Test
    void aReducedCountDropsFurtherWhileThreadsStillWait() {
        Deque<Optional<Long>> queue = samples(2.0, 1.0, 0.2);
        AtomicLong clock = new AtomicLong();
        List<Integer> set = new ArrayList<>();
        IntraOpThreads threads = IntraOpThreads.adaptive(4, queue::poll, clock::get, set::add);
        for (int s = 0; s <= 3; s++) {
            clock.set(s * IntraOpThreads.INTERVAL_NANOS);
            threads.apply();
        }
        assertThat(set).containsExactly(4, 2, 1);
    }

    @Test
    void aReducedCountTriesAllCoresAgainAfterAPauseThatDoublesWhileThreadsStillWait() {
        double[] waiting = new double[40];
        java.util.Arrays.fill(waiting, 1.0);
        Deque<Optional<Long>> queue = samples(waiting);
        AtomicLong clock = new AtomicLong();
        List<Integer> set = new ArrayList<>();
        List<Long> intervals = new ArrayList<>();
        IntraOpThreads threads = IntraOpThreads.adaptive(2, queue::poll, clock::get, n -> {
            set.add(n);
            intervals.add(clock.get() / IntraOpThreads.INTERVAL_NANOS);
        });
        threads.apply();
        for (int s = 1; s <= 40; s++) {
            clock.set(s * IntraOpThreads.INTERVAL_NANOS);
            threads.apply();
        }

        // in intervals of 0.5 s: reduced after the first; all cores tried again 2 s later (interval 5), 4 s after that
        // try ended (14) and 8 s after the next (31), each for one interval
        assertThat(set).containsExactly(2, 1, 2, 1, 2, 1, 2, 1);
        assertThat(intervals).containsExactly(0L, 1L, 5L, 6L, 14L, 15L, 31L, 32L);
    }

    @Test
    void eachThreadGetsTheCountSetOnItself() throws InterruptedException {
        List<String> set = new ArrayList<>();
        IntraOpThreads threads = IntraOpThreads.fixed(3, n -> {
            synchronized (set) {
                set.add(Thread.currentThread().getName() + "=" + n);
            }
        });
        threads.apply();
        threads.apply();
        Thread other = new Thread(threads::apply, "other");
        other.start();
        other.join();

        assertThat(set).containsExactlyInAnyOrder(Thread.currentThread().getName() + "=3", "other=3");
    }

    @Test
    void withoutProcTheAdaptiveCountStaysAtAllCores() {
        AtomicLong clock = new AtomicLong();
        List<Integer> set = new ArrayList<>();
        IntraOpThreads threads = IntraOpThreads.adaptive(4, Optional::empty, clock::get, set::add);
        for (int i = 0; i < 3; i++) {
            clock.addAndGet(IntraOpThreads.INTERVAL_NANOS);
            threads.apply();
        }
        assertThat(set).containsExactly(4);
    }

    @Test
    void unmanagedLeavesPyTorchsCountAlone() {
        IntraOpThreads threads = IntraOpThreads.unmanaged();
        threads.apply();
        assertThat(threads.current()).isZero();
        assertThat(threads.adaptive()).isFalse();
    }

    @Test
    void refusesCountsBelowOne() {
        assertThatThrownBy(() -> IntraOpThreads.fixed(0, n -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be ≥ 1, got 0");
        assertThatThrownBy(() -> IntraOpThreads.adaptive(0, Optional::empty, () -> 0, n -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cores must be ≥ 1");
    }
}
