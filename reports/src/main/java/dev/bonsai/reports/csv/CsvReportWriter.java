package dev.bonsai.reports.csv;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.io.NumberText;
import dev.bonsai.reports.io.SingleFileReportWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Writes {@code results.csv}: one row per trial record, in the order given (records are not merged or
 * de-duplicated), as RFC 4180 CSV in UTF-8 with CRLF line breaks and a header row.
 *
 * <p>Columns: the record's scalar fields in record order, named as in {@code results.jsonl}
 * ({@code experiment, trial_id, status, error, model, dataset, strategy, scope, structure, schedule,
 * target_sparsity, achieved_sparsity, total_parameters, nonzero_parameters, seed, engine, device}); then
 * {@code metric.<name>} for every metric name found in any record, sorted; then {@code time.<name>} for the
 * timings; then {@code provenance.<name>}. Numbers are written exactly as in {@code results.jsonl}
 * ({@link NumberText}: full precision, {@code NaN}/{@code Infinity}/{@code -Infinity} for non-finite values), so
 * each parses back to the identical {@code double}. An absent value (a null string, a metric a record does not
 * have) is an empty field. A field is quoted when it contains a comma, a double quote, a line break, or leading
 * or trailing spaces; a double quote inside is doubled.
 */
public final class CsvReportWriter extends SingleFileReportWriter<NoOptions> {
    /** The plugin id. */
    public static final String ID = "csv";
    /** The file written into the output folder. */
    public static final String FILE_NAME = "results.csv";
    /** The prefix of metric columns. */
    public static final String METRIC_PREFIX = "metric.";
    /** The prefix of timing columns. */
    public static final String TIME_PREFIX = "time.";
    /** The prefix of provenance columns. */
    public static final String PROVENANCE_PREFIX = "provenance.";

    private static final String CRLF = "\r\n";

    /** The scalar columns in record order, each with how it is read from a record. */
    private static final List<Column> SCALARS = List.of(
            new Column("experiment", TrialRecord::experiment),
            new Column("trial_id", TrialRecord::trialId),
            new Column("status", TrialRecord::status),
            new Column("error", TrialRecord::error),
            new Column("model", TrialRecord::model),
            new Column("dataset", TrialRecord::dataset),
            new Column("strategy", TrialRecord::strategy),
            new Column("scope", TrialRecord::scope),
            new Column("structure", TrialRecord::structure),
            new Column("schedule", TrialRecord::schedule),
            new Column("target_sparsity", r -> NumberText.format(r.targetSparsity())),
            new Column("achieved_sparsity", r -> NumberText.format(r.achievedSparsity())),
            new Column("total_parameters", r -> Long.toString(r.totalParameters())),
            new Column("nonzero_parameters", r -> Long.toString(r.nonzeroParameters())),
            new Column("seed", r -> Long.toString(r.seed())),
            new Column("engine", TrialRecord::engine),
            new Column("device", TrialRecord::device));

    /** Creates the writer; it has no state. */
    public CsvReportWriter() {
        super(ID, FILE_NAME, NoOptions.class,
                "results.csv: one row per trial with every field, metric, timing and provenance entry");
    }

    @Override
    protected String text(List<TrialRecord> records, NoOptions options) {
        return render(records);
    }

    /** The CSV text for {@code records}, as {@link #write} writes it. */
    public static String render(List<TrialRecord> records) {
        List<Column> columns = new ArrayList<>(SCALARS);
        for (String name : keys(records, TrialRecord::metrics)) {
            columns.add(new Column(METRIC_PREFIX + name, r -> number(r.metrics().get(name))));
        }
        for (String name : keys(records, TrialRecord::timings)) {
            columns.add(new Column(TIME_PREFIX + name, r -> number(r.timings().get(name))));
        }
        for (String name : keys(records, TrialRecord::provenance)) {
            columns.add(new Column(PROVENANCE_PREFIX + name, r -> r.provenance().get(name)));
        }
        StringBuilder out = new StringBuilder(256 * (records.size() + 1));
        row(out, columns, Column::name);
        for (TrialRecord record : records) {
            row(out, columns, c -> c.value().apply(record));
        }
        return out.toString();
    }

    /** The scalar column names, in order: the first columns of every {@code results.csv}. */
    public static List<String> scalarColumns() {
        return SCALARS.stream().map(Column::name).toList();
    }

    private static SortedSet<String> keys(List<TrialRecord> records,
            Function<TrialRecord, Map<String, ?>> map) {
        SortedSet<String> names = new TreeSet<>();
        for (TrialRecord record : records) {
            names.addAll(map.apply(record).keySet());
        }
        return names;
    }

    private static String number(Double value) {
        return value == null ? null : NumberText.format(value);
    }

    private static void row(StringBuilder out, List<Column> columns, Function<Column, String> cell) {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            field(out, cell.apply(columns.get(i)));
        }
        out.append(CRLF);
    }

    /** Appends one field, quoted when RFC 4180 requires it (or spaces at either end would be lost). */
    static void field(StringBuilder out, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        boolean quote = value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ';
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }

    /** A column: its header and how a record's cell is computed (null for an empty field). */
    private record Column(String name, Function<TrialRecord, String> value) {
    }
}
