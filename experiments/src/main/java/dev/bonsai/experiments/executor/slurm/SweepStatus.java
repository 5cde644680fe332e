package dev.bonsai.experiments.executor.slurm;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.store.ResultsStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where every trial submitted to Slurm from an output folder stands: queued or running while Slurm still lists its
 * array task; otherwise done or failed as its latest record says, or lost when its task ended without a record
 * (killed at the time limit, out of memory, cancelled: its log in {@code OUT/slurm/logs/} says why).
 */
public final class SweepStatus {

    /** The state of one trial. */
    public enum State {
        /** Waiting in Slurm's queue. */
        QUEUED,
        /** Its array task is running. */
        RUNNING,
        /** Its record says it succeeded. */
        DONE,
        /** Its record says it failed. */
        FAILED,
        /** Its task ended without writing a record. */
        LOST
    }

    /**
     * One trial's line.
     *
     * @param trial  the trial id
     * @param job    Slurm's task id, {@code JOB_TASK}
     * @param state  its state
     * @param label  what it computes ({@code seed 1 · magnitude @ 0.5}), when a record tells
     * @param detail the error of a failed trial, the log of a lost one, or empty
     */
    public record Line(String trial, String job, State state, String label, String detail) {
    }

    private SweepStatus() {
    }

    /** The state of every submitted trial of output folder {@code out}. */
    public static List<Line> of(Path out) throws IOException {
        return of(out, new SlurmClient());
    }

    static List<Line> of(Path out, SlurmClient slurm) throws IOException {
        Submissions folder = Submissions.in(out);
        Map<String, Submissions.Submission> latest = folder.latest();
        Map<String, String> queue = slurm.queue(Submissions.jobs(latest.values()));
        Map<String, TrialRecord> records = new LinkedHashMap<>();
        for (TrialRecord r : ResultsStore.latestPerTrial(ResultsStore.in(out).read())) {
            records.put(r.trialId(), r);
        }
        List<Line> lines = new ArrayList<>();
        for (Submissions.Submission s : latest.values()) {
            TrialRecord record = records.get(s.trial());
            String label = record == null ? "" : "seed " + record.seed() + " · " + record.strategy() + " @ "
                    + record.targetSparsity();
            String live = queue.getOrDefault(s.taskId(), queue.get(s.job()));
            State state;
            String detail = "";
            if (live != null && !live.equals("COMPLETED")) {
                state = live.equals("PENDING") || live.equals("CONFIGURING") || live.equals("REQUEUED")
                        ? State.QUEUED : State.RUNNING;
            } else if (record == null) {
                state = State.LOST;
                detail = "no record; see " + folder.logs().resolve(s.job() + "_" + s.task() + ".out");
            } else if (record.ok()) {
                state = State.DONE;
            } else {
                state = State.FAILED;
                detail = String.valueOf(record.error());
            }
            lines.add(new Line(s.trial(), s.taskId(), state, label, detail));
        }
        return lines;
    }

    /** How many trials are in each state. */
    public static Map<State, Integer> counts(List<Line> lines) {
        Map<State, Integer> counts = new EnumMap<>(State.class);
        for (State s : State.values()) {
            counts.put(s, 0);
        }
        lines.forEach(l -> counts.merge(l.state(), 1, Integer::sum));
        return counts;
    }
}
