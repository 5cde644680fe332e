package dev.bonsai.engine.djl;

import java.util.Locale;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * How many intra-op threads PyTorch uses for the operators of the thread that runs a network: a fixed count, the
 * count left to PyTorch, or (the default) as many as get a core without waiting, re-read twice a second.
 *
 * <p>Why adapt: PyTorch's OpenMP threads spin while they wait for each other. Beside another busy process, a thread
 * that is not running keeps its partners spinning through their time slices, and small operators slow down by an
 * order of magnitude or more; one thread has no partner to wait for. On an idle machine spinning is what makes small
 * operators fast, so a passive wait policy would cost there what it saves beside a busy process.
 *
 * <p>The measure is this process's threads' waiting for a core ({@link RunQueueWait}), read while all cores are in
 * use: each thread that waits on average takes one thread off the count (half a waiting thread rounds down). A count
 * below the cores cannot tell whether more would fit now, so after a pause (2 s, doubling while the wait stays, up
 * to a minute) one interval runs on all cores again and its wait decides. Threads of the JVM that compile or
 * collect garbage can make the count drop for such a pause at the start. A background job at a lower priority
 * makes no thread of this process wait, and keeps no core from it.
 *
 * <p>PyTorch keeps the count per calling thread (OpenMP's {@code nthreads} setting; a thread's first operator takes
 * the last count set anywhere), so {@link #apply()} sets it on the thread that calls it, and only when it changed.
 */
final class IntraOpThreads {
    private static final Logger LOG = LogManager.getLogger(IntraOpThreads.class);
    /** How often the adaptive count re-reads the wait. */
    static final long INTERVAL_NANOS = 500_000_000L;
    /** The first wait before a reduced count tries all cores again; it doubles each time the wait stays. */
    static final long FIRST_PROBE_NANOS = 2_000_000_000L;
    /** The longest wait between such tries. */
    static final long LAST_PROBE_NANOS = 60_000_000_000L;

    private final int fixed;
    private final int cores;
    private final Supplier<Optional<Long>> sampler;
    private final LongSupplier clock;
    private final IntConsumer setter;
    private final ThreadLocal<Integer> applied = new ThreadLocal<>();
    private volatile int current;
    private volatile long nextSample;
    private long lastWait = -1;
    private long lastTime;
    private boolean reported;
    private boolean probing;
    private long probeWait = FIRST_PROBE_NANOS;
    private long nextProbe;

    private IntraOpThreads(int fixed, int cores, Supplier<Optional<Long>> sampler, LongSupplier clock,
            IntConsumer setter) {
        this.fixed = fixed;
        this.cores = cores;
        this.sampler = sampler;
        this.clock = clock;
        this.setter = setter;
        this.current = fixed > 0 ? fixed : cores;
        // the first interval starts at the first apply, when operators start to run
        this.nextSample = clock.getAsLong();
    }

    /** Always {@code threads} (at least 1), set with {@code setter}. */
    static IntraOpThreads fixed(int threads, IntConsumer setter) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        return new IntraOpThreads(threads, threads, Optional::empty, System::nanoTime, setter);
    }

    /** Leaves PyTorch's count alone (the user set it, e.g. with {@code OMP_NUM_THREADS}). */
    static IntraOpThreads unmanaged() {
        return new IntraOpThreads(-1, 0, Optional::empty, System::nanoTime, n -> { });
    }

    /**
     * Up to {@code cores} threads, fewer while this process's threads wait for cores, from the waiting times
     * {@code sampler} gives (nanoseconds, summed over this process's threads) at most every {@link #INTERVAL_NANOS}
     * of {@code clock} from the first {@link #apply()} on; {@code cores} whenever there are none.
     */
    static IntraOpThreads adaptive(int cores, Supplier<Optional<Long>> sampler, LongSupplier clock,
            IntConsumer setter) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be ≥ 1, got " + cores);
        }
        return new IntraOpThreads(0, cores, sampler, clock, setter);
    }

    /**
     * The count after an interval at {@code threads} in which {@code waiting} of this process's threads waited for a
     * core on average: one fewer per waiting thread (half a thread rounding down), at least one.
     */
    static int forWait(int threads, double waiting) {
        int taken = Double.isNaN(waiting) ? 0 : Math.max(0, (int) Math.ceil(waiting - 0.5));
        return Math.max(1, threads - taken);
    }

    /** Whether this count is chosen from the wait. */
    boolean adaptive() {
        return fixed == 0;
    }

    /** The count the next {@link #apply()} sets (0 when PyTorch's own count is left alone), re-reading when due. */
    int current() {
        if (fixed == 0 && clock.getAsLong() - nextSample >= 0) {
            resample();
        }
        return Math.max(current, 0);
    }

    /** Sets PyTorch's intra-op threads on the calling thread to {@link #current()} when that thread's count differs. */
    void apply() {
        int threads = current();
        if (threads > 0) {
            Integer set = applied.get();
            if (set == null || set != threads) {
                setter.accept(threads);
                applied.set(threads);
            }
        }
    }

    private synchronized void resample() {
        long now = clock.getAsLong();
        if (now - nextSample < 0) {
            return;
        }
        nextSample = now + INTERVAL_NANOS;
        Optional<Long> sample = sampler.get();
        if (sample.isEmpty()) {
            return;
        }
        long wait = sample.get();
        if (lastWait >= 0) {
            double waiting = RunQueueWait.waitingThreads(lastWait, wait, now - lastTime);
            int threads = decide(waiting, now);
            if (threads != current) {
                String message = String.format(Locale.ROOT,
                        "djl: %.1f of this process's threads waited for a core: %d intra-op thread%s (was %d)",
                        waiting, threads, threads == 1 ? "" : "s", current);
                if (!reported && threads < current) {
                    // once per runtime, so that a user wondering about speed sees why
                    LOG.info("{}; the engine's threads option fixes the count", message);
                    reported = true;
                } else {
                    LOG.debug(message);
                }
                current = threads;
            }
        }
        lastWait = wait;
        lastTime = now;
    }

    /** The count to use from now, after an interval at the current count in which {@code waiting} threads waited. */
    private int decide(double waiting, long now) {
        if (current >= cores) {
            int threads = forWait(cores, waiting);
            if (threads >= cores) {
                probing = false;
                probeWait = FIRST_PROBE_NANOS;
                return cores;
            }
            if (probing) {
                // all cores were tried again and threads still waited
                probeWait = Math.min(2 * probeWait, LAST_PROBE_NANOS);
            }
            probing = false;
            nextProbe = now + probeWait;
            return threads;
        }
        int threads = forWait(current, waiting);
        if (threads < current) {
            return threads;
        }
        if (now - nextProbe >= 0) {
            probing = true;
            return cores;
        }
        return current;
    }
}
