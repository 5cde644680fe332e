package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void readsTheRevisionOfACloneAndOfALinkedWorktree(@TempDir Path dir) throws Exception {
        Path clone = dir.resolve("clone");
        Files.createDirectories(clone.resolve(".git/refs/heads"));
        Files.writeString(clone.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(clone.resolve(".git/refs/heads/main"), COMMIT + "\n");
        Files.createDirectories(clone.resolve("sub/dir"));
        assertThat(Provenance.gitRevision(clone.resolve("sub/dir"))).contains(COMMIT);

        // git worktree add ../wt -b topic: .git is a file; HEAD is the worktree's, refs are the clone's
        Path own = clone.resolve(".git/worktrees/wt");
        Files.createDirectories(own);
        Files.writeString(own.resolve("HEAD"), "ref: refs/heads/topic\n");
        Files.writeString(own.resolve("commondir"), "../..\n");
        String topic = COMMIT.replace('0', 'f');
        Files.writeString(clone.resolve(".git/refs/heads/topic"), topic + "\n");
        Path worktree = dir.resolve("wt");
        Files.createDirectories(worktree);
        Files.writeString(worktree.resolve(".git"), "gitdir: " + own + "\n");
        assertThat(Provenance.gitRevision(worktree)).contains(topic);

        assertThat(Provenance.gitRevision(Files.createDirectories(dir.resolve("elsewhere")))).isEmpty();
    }
}
