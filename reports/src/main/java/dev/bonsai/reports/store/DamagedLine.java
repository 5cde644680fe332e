package dev.bonsai.reports.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A line of a results file that could not be read as a trial record and was skipped.
 *
 * @param file       the results file
 * @param lineNumber the line's number, counting from 1
 * @param reason     what was wrong with it
 */
public record DamagedLine(Path file, long lineNumber, String reason) {
    /** Checks the fields. */
    public DamagedLine {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
        if (lineNumber < 1) {
            throw new IllegalArgumentException("line numbers count from 1, got " + lineNumber);
        }
    }

    @Override
    public String toString() {
        return file + ":" + lineNumber + ": " + reason;
    }
}
