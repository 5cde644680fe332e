package dev.bonsai.datasets;

import dev.bonsai.api.data.DataFile;
import java.util.Objects;

/**
 * A file a dataset can use, for listings such as {@code bonsai datasets}.
 *
 * @param folder   the dataset folder it is looked up under (usually the dataset id, for example {@code mnist})
 * @param file     the file, with its expected SHA-256 (empty when no reference checksum is known)
 * @param optional whether the dataset loads without it
 */
public record KnownFile(String folder, DataFile file, boolean optional) {
    /** Checks nothing is null. */
    public KnownFile {
        Objects.requireNonNull(folder);
        Objects.requireNonNull(file);
    }

    /** Whether a reference SHA-256 is known for it. */
    public boolean hasChecksum() {
        return file.sha256().matches("[0-9a-fA-F]{64}");
    }
}
