package dev.bonsai.datasets.user;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.datasets.files.DataFileResolver;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files a user names in a dataset's options ({@code csv}, {@code idx}, {@code text}). They have no expected
 * checksum: their SHA-256 is computed and recorded in the dataset's provenance instead.
 *
 * <p>A relative path is resolved against the descriptor's dataset folder ({@code dataset: {path: DIR}}) when the
 * host's resolver has one, else against the working directory.
 */
public final class UserFiles {
    private UserFiles() {
    }

    /**
     * The path of a user's file named {@code given} in option {@code option}.
     *
     * @throws BonsaiException when it does not exist or is not a regular file
     */
    public static Path locate(DataFiles files, String option, String given) {
        if (given == null || given.isBlank()) {
            throw new BonsaiException("Option '" + option + "' names no file");
        }
        Path path = Path.of(given.strip());
        if (!path.isAbsolute()) {
            Path base = files instanceof DataFileResolver resolver
                    ? resolver.locations().explicitFolder().orElse(Path.of("").toAbsolutePath())
                    : Path.of("").toAbsolutePath();
            path = base.resolve(path);
        }
        path = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new BonsaiException("The file named by option '" + option + "' does not exist or is not a file: "
                    + path + (Path.of(given.strip()).isAbsolute() ? ""
                    : " (relative paths are resolved against the descriptor's dataset path, else the working "
                    + "directory)"));
        }
        return path;
    }

    /** The SHA-256 of a user's file, lower-case hex. */
    public static String sha256(Path file) {
        return DataFileResolver.sha256(file);
    }
}
