package dev.bonsai.experiments.run;

import dev.bonsai.api.PluginVersions;
import dev.bonsai.api.Spi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Facts about where and with what a result was computed: versions, JVM, OS, CPU, git revision. */
public final class Provenance {
    private Provenance() {
    }

    /** The facts about this machine and build, keyed as trial records store them. */
    public static Map<String, String> environment(Path workingDir) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bonsai_version", PluginVersions.of(Provenance.class));
        p.put("spi_version", Integer.toString(Spi.VERSION));
        p.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vendor") + ")");
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        p.put("cpu", cpuModel() + " × " + Runtime.getRuntime().availableProcessors());
        gitRevision(workingDir).ifPresent(rev -> p.put("git_revision", rev));
        return p;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /**
     * The commit checked out in the git repository holding {@code dir}, read from {@code .git} without git; in a
     * linked worktree {@code .git} is a file naming the worktree's own git folder, whose {@code commondir} holds
     * the refs.
     */
    public static Optional<String> gitRevision(Path dir) {
        for (Path d = dir.toAbsolutePath(); d != null; d = d.getParent()) {
            Path git = d.resolve(".git");
            if (Files.isDirectory(git)) {
                return readHead(git, git);
            }
            if (Files.isRegularFile(git)) {
                return worktree(git);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> worktree(Path gitFile) {
        try {
            String line = Files.readString(gitFile, StandardCharsets.UTF_8).trim();
            if (!line.startsWith("gitdir: ")) {
                return Optional.empty();
            }
            Path own = gitFile.getParent().resolve(line.substring(8).trim()).normalize();
            Path commonFile = own.resolve("commondir");
            Path common = Files.exists(commonFile)
                    ? own.resolve(Files.readString(commonFile, StandardCharsets.UTF_8).trim()).normalize() : own;
            return readHead(own, common);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> readHead(Path own, Path git) {
        try {
            String head = Files.readString(own.resolve("HEAD"), StandardCharsets.UTF_8).trim();
            if (!head.startsWith("ref: ")) {
                return Optional.of(head);
            }
            String ref = head.substring(5);
            Path loose = git.resolve(ref);
            if (Files.exists(loose)) {
                return Optional.of(Files.readString(loose, StandardCharsets.UTF_8).trim());
            }
            Path packed = git.resolve("packed-refs");
            if (Files.exists(packed)) {
                List<String> lines = Files.readAllLines(packed, StandardCharsets.UTF_8);
                for (String line : lines) {
                    if (line.endsWith(" " + ref)) {
                        return Optional.of(line.substring(0, line.indexOf(' ')));
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
