package dev.bonsai.experiments.executor.slurm;

import dev.bonsai.experiments.executor.Resources;
import dev.bonsai.experiments.plugins.PluginRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The array script of one group of trials with the same resources: its {@code #SBATCH} lines come from the
 * resources and the executor's options; each task reads its trial id from the list file given as the script's
 * argument (line {@code SLURM_ARRAY_TASK_ID + 1}) and runs {@code bonsai trial} for it.
 */
final class SlurmScript {
    private SlurmScript() {
    }

    /** The {@code #SBATCH} options for {@code resources}. */
    static List<String> options(String experiment, Resources resources, SlurmExecutor.Options options, Path logs) {
        List<String> lines = new ArrayList<>();
        lines.add("--job-name=bonsai-" + experiment);
        lines.add("--cpus-per-task=" + resources.cpu());
        if (resources.gpu() > 0) {
            lines.add("--gres=gpu:" + resources.gpu());
        }
        if (!resources.hardware().isEmpty()) {
            lines.add("--constraint=" + String.join("&", resources.hardware()));
        }
        resources.memory().ifPresent(m -> lines.add("--mem=" + m));
        resources.time().ifPresent(t -> lines.add("--time=" + t));
        options.partition().ifPresent(p -> lines.add("--partition=" + p));
        options.account().ifPresent(a -> lines.add("--account=" + a));
        lines.add("--output=" + logs.toAbsolutePath() + "/%A_%a.out");
        lines.addAll(options.sbatch());
        return lines;
    }

    /** Writes the script for one resources group (named by the group's options) and returns its path. */
    static Path write(Submissions folder, List<String> sbatch, String bonsai, String device) throws IOException {
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        for (String line : sbatch) {
            s.append("#SBATCH ").append(line).append('\n');
        }
        boolean cuda = PluginRegistry.deviceKind(device).equals("cuda");
        s.append("# Written by bonsai run (slurm executor). Argument: the list of trial ids, one per array task.\n")
                .append("set -euo pipefail\n")
                .append("trial=\"$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" \"$1\")\"\n")
                .append("export BONSAI_NO_BUILD=1\n")
                .append("exec ").append(quote(bonsai)).append(" trial --work ")
                .append(quote(folder.workFile().toAbsolutePath().toString())).append(" --trial \"$trial\"")
                // Slurm renumbers the GPUs it grants: the task's first GPU is cuda:0
                .append(cuda ? " --device cuda:0" : "").append('\n');
        String name = "array-" + Integer.toHexString(s.toString().hashCode()) + ".sh";
        Path script = folder.dir().resolve(name);
        Files.writeString(script, s, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** Writes the trial list of one submission. */
    static Path list(Submissions folder, List<String> trials) throws IOException {
        Path lists = Files.createDirectories(folder.dir().resolve("lists"));
        Path file = Files.createTempFile(lists, "trials-", ".txt");
        Files.writeString(file, String.join("\n", trials) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
