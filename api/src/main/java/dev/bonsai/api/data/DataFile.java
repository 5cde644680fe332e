package dev.bonsai.api.data;

import java.net.URI;
import java.util.List;

/**
 * A file a dataset needs.
 *
 * @param path    its path relative to the dataset's folder, for example {@code train-images-idx3-ubyte.gz}
 * @param sha256  its expected SHA-256, lower-case hex
 * @param size    its expected size in bytes, or -1 when unknown
 * @param mirrors public URLs it can be downloaded from, tried in order
 */
public record DataFile(String path, String sha256, long size, List<URI> mirrors) {
    /** Copies the mirror list. */
    public DataFile {
        mirrors = List.copyOf(mirrors);
    }
}
