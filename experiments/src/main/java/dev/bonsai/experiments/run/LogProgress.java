package dev.bonsai.experiments.run;

import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Progress as log lines: for logs, CI and anything that is not a terminal. One line per epoch, and within an epoch
 * a line at every tenth of it (at most one per {@value #MIN_GAP_SECONDS} s) or after {@value #MAX_GAP_SECONDS} s
 * without one, with the step, the throughput, the epoch's running loss and the time left. A phase shorter than
 * {@value #QUIET_SECONDS} s logs its epochs only, so short runs are not flooded.
 */
public final class LogProgress implements Progress {
    private static final Logger LOG = LogManager.getLogger(LogProgress.class);
    static final long QUIET_SECONDS = 10;
    static final long MIN_GAP_SECONDS = 5;
    static final long MAX_GAP_SECONDS = 30;

    private final LongSupplier nanoClock;
    private final Consumer<String> sink;

    /** Progress to the log, timed by the system clock. */
    public LogProgress() {
        this(System::nanoTime, LOG::info);
    }

    /** Progress to {@code sink}, timed by {@code nanoClock} (for tests). */
    LogProgress(LongSupplier nanoClock, Consumer<String> sink) {
        this.nanoClock = nanoClock;
        this.sink = sink;
    }

    @Override
    public Phase phase(String label, int epochs) {
        return phase(label, epochs, 0);
    }

    @Override
    public Phase phase(String label, int epochs, int batchSize) {
        return new LogPhase(label, epochs, batchSize);
    }

    /** One phase's lines. */
    private final class LogPhase implements Phase {
        private final String label;
        private final int epochs;
        private final int batchSize;
        private long totalSteps;
        private long stepsPerEpoch;
        private long start;
        private long lastLine;
        private long nextMark;

        LogPhase(String label, int epochs, int batchSize) {
            this.label = label;
            this.epochs = epochs;
            this.batchSize = batchSize;
        }

        @Override
        public void started(long steps) {
            totalSteps = steps;
            stepsPerEpoch = epochs > 0 ? Math.max(1, steps / epochs) : steps;
            start = nanoClock.getAsLong();
            lastLine = start;
            nextMark = mark(0, 1);
        }

        @Override
        public void stepped(long step, DoubleSupplier runningLoss) {
            if (totalSteps <= 0) {
                return;
            }
            long inEpoch = step % stepsPerEpoch + 1;
            if (inEpoch == 1) {
                nextMark = mark(step / stepsPerEpoch, 1);
            }
            boolean atMark = step + 1 >= nextMark;
            if (atMark) {
                long epoch = step / stepsPerEpoch;
                long tenth = (inEpoch * 10) / stepsPerEpoch + 1;
                nextMark = mark(epoch, tenth);
            }
            if (inEpoch == stepsPerEpoch) {
                return; // the epoch's own line follows
            }
            long now = nanoClock.getAsLong();
            double sinceStart = (now - start) / 1e9;
            double sinceLine = (now - lastLine) / 1e9;
            if (sinceStart < QUIET_SECONDS
                    || !(sinceLine >= MAX_GAP_SECONDS || (atMark && sinceLine >= MIN_GAP_SECONDS))) {
                return;
            }
            lastLine = now;
            double stepsPerSecond = (step + 1) / sinceStart;
            String rate = batchSize > 0 ? String.format("%.0f samples/s", stepsPerSecond * batchSize)
                    : String.format("%.1f steps/s", stepsPerSecond);
            sink.accept(String.format("%s: epoch %d/%d, step %d/%d (%d%%), %s, running loss %.4f, ETA %s", label,
                    step / stepsPerEpoch + 1, epochs, inEpoch, stepsPerEpoch, inEpoch * 100 / stepsPerEpoch, rate,
                    runningLoss.getAsDouble(), duration((totalSteps - step - 1) / stepsPerSecond)));
        }

        /** The global step count at which the {@code tenth}-th tenth of epoch {@code epoch} is done. */
        private long mark(long epoch, long tenth) {
            return epoch * stepsPerEpoch + (stepsPerEpoch * tenth + 9) / 10;
        }

        @Override
        public void epochEnded(int epoch, double meanLoss) {
            sink.accept(String.format("%s: epoch %d/%d, loss %.4f", label, epoch + 1, epochs, meanLoss));
        }

        @Override
        public void close() {
        }
    }

    /** Seconds as {@code 1 h 02 min}, {@code 3 min 20 s} or {@code 12 s}. */
    static String duration(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        if (s >= 3600) {
            return String.format("%d h %02d min", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format("%d min %02d s", s / 60, s % 60);
        }
        return s + " s";
    }
}
