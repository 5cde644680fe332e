package dev.bonsai.engine.djl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How long this process's threads were ready to run but waited for a core, summed over its threads, from Linux's
 * scheduler statistics ({@code /proc/self/task/<tid>/schedstat}: time on a core, time waiting on a run queue and
 * time slices, in nanoseconds). Between two samples, the waiting time per unit of wall time is the number of this
 * process's threads that waited for a core on average: near 0 where cores are free, about 1 where two threads share
 * a core with another busy process. Where the statistics are missing (not Linux) there are no samples.
 */
final class RunQueueWait {
    private static final Path TASKS = Path.of("/proc/self/task");

    private RunQueueWait() {
    }

    /** Nanoseconds this process's live threads have waited for a core so far, or empty where unknown. */
    static Optional<Long> read() {
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String text;
                try {
                    text = Files.readString(task.resolve("schedstat"));
                } catch (IOException e) {
                    continue; // the thread ended since the listing
                }
                total += waitNanos(text);
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(total);
    }

    /**
     * The waiting time in one {@code schedstat} text ({@code "on-cpu-ns run-queue-wait-ns slices"}).
     *
     * @throws IllegalArgumentException when the text is not in that format
     */
    static long waitNanos(String schedstat) {
        String[] fields = schedstat.trim().split("\\s+");
        if (fields.length < 3) {
            throw new IllegalArgumentException("unexpected schedstat: '" + schedstat.strip() + "'");
        }
        try {
            return Long.parseLong(fields[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unexpected schedstat: '" + schedstat.strip() + "'", e);
        }
    }

    /**
     * Threads that waited for a core on average between two samples {@code wallNanos} apart: the growth of the
     * waiting time per wall time, 0 when no time passed or the sum shrank (threads that ended take their time
     * with them).
     */
    static double waitingThreads(long earlierWait, long laterWait, long wallNanos) {
        if (wallNanos <= 0 || laterWait < earlierWait) {
            return 0;
        }
        return (double) (laterWait - earlierWait) / wallNanos;
    }
}
