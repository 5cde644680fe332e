package dev.bonsai.experiments.executor;

import dev.bonsai.api.report.TrialRecord;
import java.io.IOException;

/** Takes the records of finished trials in the driver: the run appends each to its results store at once. */
@FunctionalInterface
public interface RecordSink {

    /** Appends {@code record} durably; safe to call from several threads. */
    void accept(TrialRecord record) throws IOException;
}
