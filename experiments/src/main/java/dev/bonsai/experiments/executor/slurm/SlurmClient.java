package dev.bonsai.experiments.executor.slurm;

import dev.bonsai.api.BonsaiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Calls Slurm's commands ({@code sbatch}, {@code squeue}) and reads their answers. */
final class SlurmClient {
    private static final long TIMEOUT_SECONDS = 60;

    /**
     * Submits {@code script} with {@code args}; returns the job id.
     *
     * @throws BonsaiException when sbatch is missing or refuses the job (its message included)
     */
    String submit(List<String> sbatchOptions, String script, List<String> args) {
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable"));
        command.addAll(sbatchOptions);
        command.add(script);
        command.addAll(args);
        String out = run(command).strip();
        String id = out.contains(";") ? out.substring(0, out.indexOf(';')) : out;
        if (!id.matches("\\d+")) {
            throw new BonsaiException("sbatch answered '" + out + "' instead of a job id for " + script);
        }
        return id;
    }

    /**
     * The state of every array task still known to Slurm among {@code jobIds}, keyed {@code JOB_TASK}: PENDING,
     * RUNNING, COMPLETING… A task that has ended is absent. A pending array's tasks not yet split out are listed
     * one by one.
     */
    Map<String, String> queue(List<String> jobIds) {
        Map<String, String> states = new HashMap<>();
        if (jobIds.isEmpty()) {
            return states;
        }
        String out = run(List.of("squeue", "--noheader", "--array", "--jobs=" + String.join(",", jobIds),
                "--format=%i %T"));
        for (String line : out.split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2) {
                states.put(parts[0], parts[1]);
            }
        }
        return states;
    }

    private static String run(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Process p = builder.start();
            byte[] bytes = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BonsaiException(String.join(" ", command) + " did not answer within " + TIMEOUT_SECONDS
                        + " s; is slurmctld up?");
            }
            String out = new String(bytes, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                if (command.get(0).equals("squeue") && out.contains("Invalid job id")) {
                    return ""; // every job has ended and left the controller's memory
                }
                throw new BonsaiException(command.get(0) + " failed (exit " + p.exitValue() + "): " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new BonsaiException("cannot run " + command.get(0) + ": " + e.getMessage() + "; the slurm executor "
                    + "needs Slurm's commands (sbatch, squeue) on this machine's PATH", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BonsaiException("interrupted while running " + command.get(0), e);
        }
    }
}
