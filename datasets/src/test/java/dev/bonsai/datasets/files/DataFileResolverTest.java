package dev.bonsai.datasets.files;

import static dev.bonsai.datasets.files.TestData.bytes;
import static dev.bonsai.datasets.files.TestData.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.DataFile;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFileResolverTest {
    private static final byte[] CONTENT = bytes("the real content of the data file\n");
    private static final DataFile FILE = TestData.file("sub/data.bin", CONTENT);

    @TempDir
    Path tmp;

    private Path explicit;
    private Path dataDir;
    private Path envDir;
    private Path cache;

    @BeforeEach
    void folders() throws IOException {
        explicit = Files.createDirectories(tmp.resolve("explicit"));
        dataDir = Files.createDirectories(tmp.resolve("data-dir"));
        envDir = Files.createDirectories(tmp.resolve("env"));
        cache = tmp.resolve("cache");
    }

    private DataLocations all(boolean offline) {
        return new DataLocations(Optional.of(explicit), Optional.of(dataDir), Optional.of(envDir), cache, offline);
    }

    private static Path put(Path root, String relative, byte[] content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    @Test
    void explicitFolderComesFirst() throws IOException {
        Path inExplicit = put(explicit, "sub/data.bin", CONTENT);
        put(dataDir, "ds/sub/data.bin", CONTENT);
        put(envDir, "ds/sub/data.bin", CONTENT);
        put(cache, "ds/sub/data.bin", CONTENT);

        assertThat(new DataFileResolver(all(true)).resolve("ds", FILE)).isEqualTo(inExplicit);
    }

    @Test
    void dataDirComesBeforeEnvironmentAndCache() throws IOException {
        Path inDataDir = put(dataDir, "ds/sub/data.bin", CONTENT);
        put(envDir, "ds/sub/data.bin", CONTENT);
        put(cache, "ds/sub/data.bin", CONTENT);

        assertThat(new DataFileResolver(all(true)).resolve("ds", FILE)).isEqualTo(inDataDir);
    }

    @Test
    void environmentComesBeforeCache() throws IOException {
        Path inEnv = put(envDir, "ds/sub/data.bin", CONTENT);
        put(cache, "ds/sub/data.bin", CONTENT);

        assertThat(new DataFileResolver(all(true)).resolve("ds", FILE)).isEqualTo(inEnv);
    }

    @Test
    void cacheIsUsedLast() throws IOException {
        Path inCache = put(cache, "ds/sub/data.bin", CONTENT);

        assertThat(new DataFileResolver(all(true)).resolve("ds", FILE)).isEqualTo(inCache);
    }

    @Test
    void missingEverywhereOfflineSaysWhereItLookedAndWhatToDo() {
        DataFile file = TestData.file("data.bin", CONTENT, URI.create("https://mirror.invalid/data.bin"));

        assertThatThrownBy(() -> new DataFileResolver(all(true)).resolve("ds", file))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining("ds/data.bin was not found")
                .hasMessageContaining("downloads are off")
                .hasMessageContaining("Looked in:")
                .hasMessageContaining(explicit.resolve("data.bin").toString())
                .hasMessageContaining(dataDir.resolve("ds/data.bin").toString())
                .hasMessageContaining(envDir.resolve("ds/data.bin").toString())
                .hasMessageContaining(cache.resolve("ds/data.bin").toString())
                .hasMessageContaining("BONSAI_DATA_DIR=DIR")
                .hasMessageContaining("--data-dir DIR")
                .hasMessageContaining("unset BONSAI_OFFLINE")
                .hasMessageContaining(sha256(CONTENT));
        assertThat(cache).doesNotExist();
    }

    @Test
    void missingWithUnsetLocationsSaysSo() {
        DataLocations cacheOnly = new DataLocations(Optional.empty(), Optional.empty(), Optional.empty(), cache, true);

        assertThatThrownBy(() -> new DataFileResolver(cacheOnly).resolve("ds", FILE))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining("--data-dir is not given")
                .hasMessageContaining("BONSAI_DATA_DIR is not set")
                .hasMessageContaining(cache.resolve("ds/sub/data.bin").toString());
    }

    @Test
    void missingOnlineWithoutMirrorsIsAnError() {
        assertThatThrownBy(() -> new DataFileResolver(all(false)).resolve("ds", FILE))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining("no download mirror");
    }

    @Test
    void wrongChecksumNamesFileExpectedAndActual() throws IOException {
        byte[] wrong = bytes("something else entirely\n");
        Path bad = put(envDir, "ds/sub/data.bin", wrong);
        put(cache, "ds/sub/data.bin", CONTENT); // a good later copy must not hide the bad earlier one

        assertThatThrownBy(() -> new DataFileResolver(all(true)).resolve("ds", FILE))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("expected SHA-256: " + sha256(CONTENT))
                .hasMessageContaining("actual SHA-256:   " + sha256(wrong))
                .hasMessageContaining("expected " + CONTENT.length + " bytes, found " + wrong.length)
                .hasMessageContaining("delete it");
    }

    @Test
    void wrongFileInCacheSaysItWillBeDownloadedAgain() throws IOException {
        DataFile file = TestData.file("data.bin", CONTENT, URI.create("https://mirror.invalid/data.bin"));
        Path bad = put(cache, "ds/data.bin", bytes("garbage"));

        assertThatThrownBy(() -> new DataFileResolver(all(false)).resolve("ds", file))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("Delete it")
                .hasMessageContaining("downloaded again");
    }

    @Test
    void checksumsAreRememberedUntilTheFileChanges() throws IOException {
        Path file = put(envDir, "ds/sub/data.bin", CONTENT);
        DataFileResolver resolver = new DataFileResolver(all(true));

        long before = Checksums.hashedFiles();
        resolver.resolve("ds", FILE);
        resolver.resolve("ds", FILE);
        new DataFileResolver(all(true)).resolve("ds", FILE);
        assertThat(Checksums.hashedFiles() - before).isEqualTo(1);

        byte[] changed = CONTENT.clone();
        changed[0] = 'T';
        Files.write(file, changed);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThatThrownBy(() -> resolver.resolve("ds", FILE)).hasMessageContaining(sha256(changed));
        assertThat(Checksums.hashedFiles() - before).isEqualTo(2);
    }

    @Test
    void pathsMayNotLeaveTheDatasetFolder() {
        DataFile escaping = new DataFile("../other/data.bin", sha256(CONTENT), -1, java.util.List.of());

        assertThatThrownBy(() -> new DataFileResolver(all(true)).resolve("ds", escaping))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("../other/data.bin");
        assertThatThrownBy(() -> new DataFileResolver(all(true)).resolve("../ds", FILE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findAndStatusLocateWithoutDownloadingAndTellVerifiedFromWrong() throws IOException {
        DataFileResolver resolver = new DataFileResolver(all(false));
        assertThat(resolver.find("ds", FILE)).isEmpty();
        assertThat(resolver.status("ds", FILE)).isEmpty();

        Path good = put(envDir, "ds/sub/data.bin", CONTENT);
        FileStatus found = resolver.find("ds", FILE).orElseThrow();
        assertThat(found.path()).isEqualTo(good);
        assertThat(found.source()).contains("BONSAI_DATA_DIR");
        assertThat(found.actual()).isEmpty();
        assertThat(found.verified()).isFalse();
        FileStatus status = resolver.status("ds", FILE).orElseThrow();
        assertThat(status.actual()).contains(sha256(CONTENT));
        assertThat(status.verified()).isTrue();

        put(dataDir, "ds/sub/data.bin", bytes("other"));
        FileStatus wrong = resolver.status("ds", FILE).orElseThrow();
        assertThat(wrong.path()).isEqualTo(dataDir.resolve("ds/sub/data.bin"));
        assertThat(wrong.verified()).isFalse();
        assertThat(DataFileResolver.sha256(good)).isEqualTo(sha256(CONTENT));
        assertThat(cache).doesNotExist();
    }
}
