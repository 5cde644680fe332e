package dev.bonsai.datasets;

import java.util.List;

/**
 * Implemented by dataset providers whose files are known without options: every file any variant may use, with the
 * folder it is looked up under. Providers of a user's own files do not implement it.
 */
public interface KnownFiles {
    /** Every file the dataset can use, in a stable order. */
    List<KnownFile> knownFiles();
}
