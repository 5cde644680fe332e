package dev.bonsai.api.data;

import java.nio.file.Path;

/** The host's resolver of dataset files: finds, downloads if allowed, and verifies them. */
public interface DataFiles {

    /**
     * The local path of {@code file} of dataset {@code datasetId}, verified against its SHA-256.
     *
     * @throws dev.bonsai.api.BonsaiException when it cannot be found or fails verification, saying where it
     *                                         looked, the expected and actual checksums, and how to provide it
     */
    Path resolve(String datasetId, DataFile file);
}
