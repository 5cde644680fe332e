package dev.bonsai.datasets.files;

import dev.bonsai.api.data.DataFile;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a dataset file was found, and its actual SHA-256 when it was hashed.
 *
 * @param folder the dataset folder it was looked up under (usually the dataset id)
 * @param file   the file as the dataset declares it
 * @param path   where it is
 * @param source how it was found, for example {@code under BONSAI_DATA_DIR}
 * @param actual its actual SHA-256 when it was hashed
 */
public record FileStatus(String folder, DataFile file, Path path, String source, Optional<String> actual) {
    /** Checks nothing is null. */
    public FileStatus {
        Objects.requireNonNull(folder);
        Objects.requireNonNull(file);
        Objects.requireNonNull(path);
        Objects.requireNonNull(source);
        Objects.requireNonNull(actual);
    }

    /** Whether it was hashed and matches the declared SHA-256. */
    public boolean verified() {
        return actual.isPresent() && actual.get().equals(file.sha256().toLowerCase(Locale.ROOT));
    }
}
