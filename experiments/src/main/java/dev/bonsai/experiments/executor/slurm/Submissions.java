package dev.bonsai.experiments.executor.slurm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bonsai.api.BonsaiException;
import dev.bonsai.experiments.executor.TrialWork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Slurm side of a run's output folder, {@code OUT/slurm/}: {@code work.json} (how to compute any trial),
 * the array scripts, the trial lists each array reads, the tasks' logs, and {@code jobs.jsonl}, one line per
 * submitted trial naming its array job and task.
 */
final class Submissions {
    static final String FOLDER = "slurm";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    private Submissions(Path dir) {
        this.dir = dir;
    }

    /** The Slurm folder of output folder {@code out}. */
    static Submissions in(Path out) {
        return new Submissions(out.resolve(FOLDER));
    }

    Path dir() {
        return dir;
    }

    Path workFile() {
        return dir.resolve("work.json");
    }

    Path logs() {
        return dir.resolve("logs");
    }

    /** Whether a sweep of this folder was ever submitted to Slurm. */
    boolean exists() {
        return Files.exists(dir.resolve("jobs.jsonl"));
    }

    void writeWork(TrialWork work) throws IOException {
        Files.createDirectories(logs());
        Files.writeString(workFile(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(work) + "\n",
                StandardCharsets.UTF_8);
    }

    static TrialWork readWork(Path file) {
        try {
            return JSON.readValue(file.toFile(), TrialWork.class);
        } catch (IOException e) {
            throw new BonsaiException("cannot read the trial work file " + file + ": " + e.getMessage()
                    + "; it is written by 'bonsai run' with the slurm executor", e);
        }
    }

    TrialWork readWork() {
        return readWork(workFile());
    }

    /** Notes that array job {@code job} runs {@code trials}, task i running trial i, with {@code script}. */
    void append(String job, List<String> trials, Path script) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < trials.size(); i++) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("trial", trials.get(i));
            line.put("job", job);
            line.put("task", i);
            line.put("script", script.getFileName().toString());
            lines.append(JSON.writeValueAsString(line)).append('\n');
        }
        Files.writeString(dir.resolve("jobs.jsonl"), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** The latest submission of every trial ever submitted, in first-submission order. */
    Map<String, Submission> latest() throws IOException {
        Map<String, Submission> out = new LinkedHashMap<>();
        Path file = dir.resolve("jobs.jsonl");
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            Submission s = JSON.readValue(line, Submission.class);
            out.put(s.trial(), s);
        }
        return out;
    }

    /** The job ids among {@code submissions}. */
    static List<String> jobs(Iterable<Submission> submissions) {
        List<String> jobs = new ArrayList<>();
        for (Submission s : submissions) {
            if (!jobs.contains(s.job())) {
                jobs.add(s.job());
            }
        }
        return jobs;
    }

    /**
     * One submitted trial.
     *
     * @param trial  the trial id
     * @param job    the array job id
     * @param task   the array task index
     * @param script the array script's file name in the Slurm folder
     */
    record Submission(String trial, String job, int task, String script) {
        /** Slurm's name of the task: {@code JOB_TASK}. */
        String taskId() {
            return job + "_" + task;
        }
    }
}
