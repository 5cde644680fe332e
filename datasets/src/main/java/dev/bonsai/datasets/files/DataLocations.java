package dev.bonsai.datasets.files;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where {@link DataFileResolver} looks for dataset files, in this order:
 *
 * <ol>
 *   <li>{@link #explicitFolder()}: the dataset folder given in the descriptor ({@code dataset: {path: DIR}}); a
 *       file is at {@code DIR/<file path>};</li>
 *   <li>{@link #dataDir()}: {@code --data-dir DIR}; a file is at {@code DIR/<dataset id>/<file path>};</li>
 *   <li>{@link #envDir()}: the {@value #DATA_DIR_VARIABLE} environment variable, laid out like {@code --data-dir};</li>
 *   <li>{@link #cacheDir()}: the user cache, {@code ~/.cache/bonsai/datasets}, laid out like {@code --data-dir};</li>
 *   <li>unless {@link #offline()}: a download from the file's mirrors into the user cache.</li>
 * </ol>
 *
 * <p>All paths are absolute and normalised.
 *
 * @param explicitFolder the dataset's own folder, named in the descriptor
 * @param dataDir        the root given with {@code --data-dir}
 * @param envDir         the root given with {@value #DATA_DIR_VARIABLE}
 * @param cacheDir       the user cache root, where downloads go
 * @param offline        whether downloading is forbidden
 */
public record DataLocations(
        Optional<Path> explicitFolder, Optional<Path> dataDir, Optional<Path> envDir, Path cacheDir, boolean offline) {

    /** The environment variable naming a local root of datasets. */
    public static final String DATA_DIR_VARIABLE = "BONSAI_DATA_DIR";
    /** The environment variable that, set to {@code 1} (or {@code true}, {@code yes}, {@code on}), forbids downloads. */
    public static final String OFFLINE_VARIABLE = "BONSAI_OFFLINE";

    /** Makes every path absolute and normalised. */
    public DataLocations {
        explicitFolder = Objects.requireNonNull(explicitFolder).map(DataLocations::clean);
        dataDir = Objects.requireNonNull(dataDir).map(DataLocations::clean);
        envDir = Objects.requireNonNull(envDir).map(DataLocations::clean);
        cacheDir = clean(Objects.requireNonNull(cacheDir));
    }

    /**
     * The locations given by this process's environment: {@value #DATA_DIR_VARIABLE}, {@value #OFFLINE_VARIABLE}
     * and the user cache under the {@code user.home} system property. Add the descriptor's folder and
     * {@code --data-dir} with {@link #withExplicitFolder(Path)} and {@link #withDataDir(Path)}.
     */
    public static DataLocations fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * The locations given by an environment: {@value #DATA_DIR_VARIABLE} (ignored when empty),
     * {@value #OFFLINE_VARIABLE}, and the user cache {@code userHome/.cache/bonsai/datasets}.
     *
     * @param environment environment variables, as {@link System#getenv()} returns them
     * @param userHome    the user's home folder
     */
    public static DataLocations fromEnvironment(Map<String, String> environment, Path userHome) {
        String dir = environment.get(DATA_DIR_VARIABLE);
        Optional<Path> envDir = dir == null || dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir.strip()));
        return new DataLocations(Optional.empty(), Optional.empty(), envDir, defaultCacheDir(userHome),
                isTrue(environment.get(OFFLINE_VARIABLE)));
    }

    /** The default user cache under {@code userHome}: {@code userHome/.cache/bonsai/datasets}. */
    public static Path defaultCacheDir(Path userHome) {
        return userHome.resolve(".cache").resolve("bonsai").resolve("datasets");
    }

    /** These locations with the descriptor's dataset folder, or without one when {@code folder} is null. */
    public DataLocations withExplicitFolder(Path folder) {
        return new DataLocations(Optional.ofNullable(folder), dataDir, envDir, cacheDir, offline);
    }

    /** These locations with a {@code --data-dir} root, or without one when {@code dir} is null. */
    public DataLocations withDataDir(Path dir) {
        return new DataLocations(explicitFolder, Optional.ofNullable(dir), envDir, cacheDir, offline);
    }

    /** These locations with downloads forbidden ({@code true}) or allowed. */
    public DataLocations withOffline(boolean isOffline) {
        return new DataLocations(explicitFolder, dataDir, envDir, cacheDir, isOffline);
    }

    private static boolean isTrue(String value) {
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            default -> false;
        };
    }

    private static Path clean(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
