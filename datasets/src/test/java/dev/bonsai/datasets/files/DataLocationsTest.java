package dev.bonsai.datasets.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DataLocationsTest {
    private static final Path HOME = Path.of("/home/someone");

    @Test
    void readsTheEnvironment() {
        DataLocations locations = DataLocations.fromEnvironment(
                Map.of("BONSAI_DATA_DIR", "/data/sets", "BONSAI_OFFLINE", "1"), HOME);

        assertThat(locations.envDir()).contains(Path.of("/data/sets"));
        assertThat(locations.offline()).isTrue();
        assertThat(locations.cacheDir()).isEqualTo(Path.of("/home/someone/.cache/bonsai/datasets"));
        assertThat(locations.explicitFolder()).isEmpty();
        assertThat(locations.dataDir()).isEmpty();
    }

    @Test
    void emptyEnvironmentMeansOnlineWithCacheOnly() {
        DataLocations locations = DataLocations.fromEnvironment(Map.of("BONSAI_DATA_DIR", "  "), HOME);

        assertThat(locations.envDir()).isEmpty();
        assertThat(locations.offline()).isFalse();
    }

    @Test
    void offlineValues() {
        assertThat(DataLocations.fromEnvironment(Map.of("BONSAI_OFFLINE", "true"), HOME).offline()).isTrue();
        assertThat(DataLocations.fromEnvironment(Map.of("BONSAI_OFFLINE", "0"), HOME).offline()).isFalse();
        assertThat(DataLocations.fromEnvironment(Map.of("BONSAI_OFFLINE", "false"), HOME).offline()).isFalse();
    }

    @Test
    void withersReplaceOneLocationAndPathsAreAbsolute() {
        DataLocations locations = DataLocations.fromEnvironment(Map.of(), HOME)
                .withDataDir(Path.of("relative/dir"))
                .withExplicitFolder(Path.of("/x/../folder"));

        assertThat(locations.dataDir()).contains(Path.of("relative/dir").toAbsolutePath());
        assertThat(locations.explicitFolder()).contains(Path.of("/folder"));
        assertThat(locations.withDataDir(null).dataDir()).isEqualTo(Optional.empty());
        assertThat(locations.withOffline(true).offline()).isTrue();
    }
}
