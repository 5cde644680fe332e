package dev.bonsai.reports.io;

import dev.bonsai.api.Spi;
import dev.bonsai.api.report.ReportWriter;
import dev.bonsai.api.report.TrialRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.logging.log4j.LogManager;

/**
 * A report writer whose report is one text file in the output folder, rendered whole from the records and then
 * written atomically ({@link AtomicFiles}), so that a failed rendering leaves no file behind. A subclass names the
 * plugin and the file and renders the text.
 *
 * @param <O> the options record
 */
public abstract class SingleFileReportWriter<O extends Record> implements ReportWriter<O> {
    private final String id;
    private final String fileName;
    private final Class<O> optionsType;
    private final String description;

    /**
     * A writer of {@code fileName}.
     *
     * @param id          the plugin id
     * @param fileName    the file written into the output folder
     * @param optionsType the options record
     * @param description what the report holds, for {@code bonsai plugins}
     */
    protected SingleFileReportWriter(String id, String fileName, Class<O> optionsType, String description) {
        this.id = Objects.requireNonNull(id, "id");
        this.fileName = Objects.requireNonNull(fileName, "fileName");
        this.optionsType = Objects.requireNonNull(optionsType, "optionsType");
        this.description = Objects.requireNonNull(description, "description");
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Class<O> optionsType() {
        return optionsType;
    }

    @Override
    public final int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public final List<Path> write(List<TrialRecord> records, Path outDir, O options) throws IOException {
        Path file = AtomicFiles.writeString(outDir.resolve(fileName), text(records, options));
        LogManager.getLogger(getClass()).info("Wrote {} ({} records)", file, records.size());
        return List.of(file);
    }

    /** The file's text for {@code records}. */
    protected abstract String text(List<TrialRecord> records, O options);
}
