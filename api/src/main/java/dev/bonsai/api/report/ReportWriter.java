package dev.bonsai.api.report;

import dev.bonsai.api.Plugin;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders trial records into a report. Writers see records only, never live networks, so reports can be
 * re-rendered and merged from the records of several runs.
 *
 * @param <O> the options record
 */
public interface ReportWriter<O extends Record> extends Plugin<O> {

    /**
     * Writes the report into {@code outDir}, atomically per file (a reader never sees a half-written file).
     *
     * @return the files written
     */
    List<Path> write(List<TrialRecord> records, Path outDir, O options) throws IOException;
}
