package dev.bonsai.datasets.user;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A user's tabular data: CSV files of numeric features and one label column (see {@link CsvOptions}). Samples have
 * shape {@code [features]}. Every malformed line is an error naming the file, the line and the column. The files'
 * SHA-256 are computed and recorded.
 */
public final class CsvProvider implements DatasetProvider<CsvOptions> {
    /** The dataset id. */
    public static final String ID = "csv";
    private static final Logger LOG = LogManager.getLogger(CsvProvider.class);

    /** The provider (for {@link java.util.ServiceLoader}). */
    public CsvProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Your own CSV files: numeric feature columns and a label column";
    }

    @Override
    public Class<CsvOptions> optionsType() {
        return CsvOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    /** None: the files are the user's, named in the options, and have no expected checksum. */
    @Override
    public List<DataFile> files(CsvOptions options) {
        return List.of();
    }

    @Override
    public Dataset load(CsvOptions options, DataFiles files) {
        long started = System.nanoTime();
        char delimiter = delimiter(options.delimiter());
        Path trainPath = UserFiles.locate(files, "file", options.file());
        Optional<Path> testPath = options.testFile().map(f -> UserFiles.locate(files, "test_file", f));
        Map<String, String> sha256 = new LinkedHashMap<>();
        sha256.put(trainPath.toString(), UserFiles.sha256(trainPath));
        testPath.ifPresent(p -> sha256.put(p.toString(), UserFiles.sha256(p)));

        Table train = Table.read(trainPath, delimiter, options.header(), options.label(), null);
        Table test;
        if (testPath.isPresent()) {
            test = Table.read(testPath.get(), delimiter, options.header(), options.label(), train);
        } else {
            int cut = (int) Math.round(train.rows() * (1 - options.testFraction()));
            if (cut <= 0 || cut >= train.rows()) {
                throw new BonsaiException("CSV file " + trainPath + " has " + train.rows() + " data rows: too few to "
                        + "split " + options.testFraction() + " of them off as the test split; give a test_file");
            }
            test = train.tail(cut);
            train = train.head(cut);
        }
        int width = train.features;
        List<String> classNames = classNames(train, test);
        int[] trainLabels = labels(train, classNames);
        int[] testLabels = labels(test, classNames);
        int classes = classNames == null ? Math.max(max(trainLabels), max(testLabels)) + 1 : classNames.size();
        float[] trainFeatures = train.values();
        float[] testFeatures = test.values();
        if (options.normalize()) {
            standardise(trainFeatures, testFeatures, width);
        }
        Shape shape = Shape.of(width);
        Split trainSplit = new Split("train", shape, trainFeatures, trainLabels);
        Split testSplit = new Split("test", shape, testFeatures, testLabels);
        LOG.info("Loaded {} from {}: {} training and {} test rows of {} features, {} classes{} in {} ms", ID,
                trainPath, trainSplit.size(), testSplit.size(), width, classes,
                classNames == null ? "" : " " + classNames, (System.nanoTime() - started) / 1_000_000);
        return new Dataset(new DatasetInfo(ID, shape, classes, sha256), trainSplit, Optional.empty(), testSplit);
    }

    static char delimiter(String given) {
        String d = given.equals("\\t") ? "\t" : given;
        if (d.length() != 1) {
            throw new BonsaiException("The CSV delimiter must be one character (or '\\t'), not '" + given + "'");
        }
        if (d.charAt(0) == '"' || d.charAt(0) == '\n' || d.charAt(0) == '\r') {
            throw new BonsaiException("The CSV delimiter cannot be " + (d.charAt(0) == '"' ? "a quote" : "a line break"));
        }
        return d.charAt(0);
    }

    /** Null when every label is a non-negative integer; else the sorted distinct label values. */
    private static List<String> classNames(Table train, Table test) {
        boolean integers = true;
        TreeSet<String> names = new TreeSet<>();
        for (Table t : List.of(train, test)) {
            for (int i = 0; i < t.rows(); i++) {
                String label = t.labels.get(t.first + i);
                names.add(label);
                if (integers && !label.matches("\\d{1,9}")) {
                    integers = false;
                }
            }
        }
        return integers ? null : new ArrayList<>(names);
    }

    private static int[] labels(Table t, List<String> classNames) {
        int[] out = new int[t.rows()];
        for (int i = 0; i < out.length; i++) {
            String label = t.labels.get(t.first + i);
            out[i] = classNames == null ? Integer.parseInt(label) : java.util.Collections.binarySearch(classNames, label);
        }
        return out;
    }

    private static int max(int[] values) {
        int max = 0;
        for (int v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    private static void standardise(float[] train, float[] test, int width) {
        int n = train.length / width;
        double[] mean = new double[width];
        double[] squares = new double[width];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < width; c++) {
                double x = train[r * width + c];
                mean[c] += x;
                squares[c] += x * x;
            }
        }
        float[] shift = new float[width];
        float[] scale = new float[width];
        for (int c = 0; c < width; c++) {
            double m = mean[c] / n;
            double var = Math.max(0, squares[c] / n - m * m);
            shift[c] = (float) m;
            scale[c] = var > 0 ? (float) (1 / Math.sqrt(var)) : 1f;
        }
        for (float[] a : List.of(train, test)) {
            for (int i = 0; i < a.length; i++) {
                int c = i % width;
                a[i] = (a[i] - shift[c]) * scale[c];
            }
        }
    }

    /** The parsed rows of one or more files: features row-major and the raw label of each row. */
    private static final class Table {
        final Path file;
        final String[] names;
        final int labelColumn;
        final int columns;
        final int features;
        float[] values;
        final List<String> labels;
        final int first;
        final int count;

        private Table(Path file, String[] names, int labelColumn, int columns, float[] values, List<String> labels,
                int first, int count) {
            this.file = file;
            this.names = names;
            this.labelColumn = labelColumn;
            this.columns = columns;
            this.features = columns - 1;
            this.values = values;
            this.labels = labels;
            this.first = first;
            this.count = count;
        }

        int rows() {
            return count;
        }

        float[] values() {
            return Arrays.copyOfRange(values, first * features, (first + count) * features);
        }

        Table head(int n) {
            return new Table(file, names, labelColumn, columns, values, labels, first, n);
        }

        Table tail(int from) {
            return new Table(file, names, labelColumn, columns, values, labels, first + from, count - from);
        }

        static Table read(Path file, char delimiter, Optional<Boolean> header, String label, Table like) {
            List<String> labels = new ArrayList<>();
            float[] values = new float[1024];
            int filled = 0;
            String[] names = null;
            int columns = -1;
            int labelColumn = -1;
            int headerLine = 0;
            int lineNumber = 0;
            try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
                    StandardCharsets.UTF_8.newDecoder()), 1 << 16)) {
                String line;
                while (true) {
                    try {
                        line = in.readLine();
                    } catch (CharacterCodingException e) {
                        throw new BonsaiException("CSV file " + file + " is not valid UTF-8 at line " + (lineNumber + 1)
                                + ": " + e, e);
                    }
                    if (line == null) {
                        break;
                    }
                    lineNumber++;
                    if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                        line = line.substring(1);
                    }
                    if (line.isBlank()) {
                        continue;
                    }
                    List<Field> fields = split(line, delimiter, file, lineNumber);
                    if (columns < 0) {
                        columns = fields.size();
                        if (columns < 2) {
                            throw new BonsaiException("CSV file " + file + ", line " + lineNumber + ": expected at "
                                    + "least 2 fields (features and a label) separated by '" + printable(delimiter)
                                    + "', found " + columns + ". Is the delimiter right?");
                        }
                        boolean isHeader = header.orElseGet(() -> looksLikeHeader(fields, label));
                        if (isHeader) {
                            names = fields.stream().map(f -> f.text.strip()).toArray(String[]::new);
                            headerLine = lineNumber;
                        }
                        labelColumn = labelColumn(label, names, columns, file);
                        if (like != null) {
                            if (columns != like.columns || labelColumn != like.labelColumn) {
                                throw new BonsaiException("CSV file " + file + " has " + columns + " columns with the "
                                        + "label in column " + labelColumn + ", but " + like.file + " has "
                                        + like.columns + " with the label in column " + like.labelColumn);
                            }
                        }
                        if (isHeader) {
                            continue;
                        }
                    }
                    if (fields.size() != columns) {
                        String expected = names != null ? " (as in the header at line " + headerLine + ")"
                                : " (as in the first line)";
                        String which = fields.size() < columns
                                ? "; column " + (fields.size() + 1) + columnName(names, fields.size()) + " is missing"
                                : "";
                        throw new BonsaiException("CSV file " + file + ", line " + lineNumber + ": expected "
                                + columns + " fields" + expected + ", found " + fields.size() + which);
                    }
                    if (filled + columns - 1 > values.length) {
                        if (values.length > Integer.MAX_VALUE / 2) {
                            throw new BonsaiException("CSV file " + file + " is too large for one array");
                        }
                        values = Arrays.copyOf(values, Math.max(values.length * 2, filled + columns));
                    }
                    for (int c = 0; c < columns; c++) {
                        Field f = fields.get(c);
                        if (c == labelColumn) {
                            String text = f.text.strip();
                            if (text.isEmpty()) {
                                throw new BonsaiException("CSV file " + file + ", line " + lineNumber + ", column "
                                        + f.column + " (field " + (c + 1) + columnName(names, c)
                                        + "): expected a label, found an empty field");
                            }
                            labels.add(text);
                        } else {
                            values[filled++] = number(f, c, names, file, lineNumber);
                        }
                    }
                }
            } catch (java.nio.file.NoSuchFileException e) {
                throw new BonsaiException("CSV file " + file + " does not exist", e);
            } catch (IOException e) {
                throw new BonsaiException("Cannot read CSV file " + file + " at line " + (lineNumber + 1) + ": " + e, e);
            }
            if (columns < 0) {
                throw new BonsaiException("CSV file " + file + " is empty: expected "
                        + (header.orElse(false) ? "a header and " : "") + "rows of features and a label");
            }
            if (labels.isEmpty()) {
                throw new BonsaiException("CSV file " + file + " has a header but no data rows");
            }
            return new Table(file, names, labelColumn, columns, values, labels, 0, labels.size());
        }

        private static boolean looksLikeHeader(List<Field> fields, String label) {
            if (!label.matches("\\d+|first|last")) {
                return true; // the label column is named: there must be a header
            }
            int labelIndex = label.equals("first") ? 0 : label.equals("last") ? fields.size() - 1
                    : Integer.parseInt(label);
            for (int c = 0; c < fields.size(); c++) {
                if (c != labelIndex && !isNumber(fields.get(c).text.strip())) {
                    return true;
                }
            }
            return false;
        }

        private static int labelColumn(String label, String[] names, int columns, Path file) {
            String l = label.strip();
            if (l.equals("first")) {
                return 0;
            }
            if (l.equals("last")) {
                return columns - 1;
            }
            if (names != null) {
                for (int c = 0; c < names.length; c++) {
                    if (names[c].equals(l)) {
                        return c;
                    }
                }
            }
            if (l.matches("\\d+")) {
                int index = Integer.parseInt(l);
                if (index >= columns) {
                    throw new BonsaiException("CSV file " + file + " has " + columns + " columns (0–" + (columns - 1)
                            + "), so it has no label column " + index);
                }
                return index;
            }
            throw new BonsaiException("CSV file " + file + (names == null
                    ? " has no header, so the label column must be an index, 'first' or 'last', not '" + l + "'"
                    : " has no column '" + l + "' (columns: " + String.join(", ", names) + ")"));
        }

        private static String columnName(String[] names, int c) {
            return names != null && c < names.length ? ", '" + names[c] + "'" : "";
        }

        private static float number(Field f, int c, String[] names, Path file, int line) {
            String text = f.text.strip();
            if (!isNumber(text)) {
                throw new BonsaiException("CSV file " + file + ", line " + line + ", column " + f.column + " (field "
                        + (c + 1) + columnName(names, c) + "): expected a number, found "
                        + (text.isEmpty() ? "an empty field" : "'" + text + "'"));
            }
            return Float.parseFloat(text);
        }

        private static boolean isNumber(String text) {
            if (text.isEmpty()) {
                return false;
            }
            char last = Character.toLowerCase(text.charAt(text.length() - 1));
            if (last == 'f' || last == 'd') {
                return false;
            }
            try {
                return Double.isFinite(Double.parseDouble(text));
            } catch (NumberFormatException e) {
                return false;
            }
        }

        private static String printable(char c) {
            return c == '\t' ? "\\t" : String.valueOf(c);
        }

        /** Splits a line into fields, with double-quoted fields ({@code ""} is a quote inside one). */
        private static List<Field> split(String line, char delimiter, Path file, int lineNumber) {
            List<Field> fields = new ArrayList<>();
            int i = 0;
            int n = line.length();
            while (true) {
                int start = i;
                StringBuilder text = new StringBuilder();
                int j = i;
                while (j < n && line.charAt(j) == ' ') {
                    j++;
                }
                if (j < n && line.charAt(j) == '"') {
                    j++;
                    boolean closed = false;
                    while (j < n) {
                        char ch = line.charAt(j);
                        if (ch == '"') {
                            if (j + 1 < n && line.charAt(j + 1) == '"') {
                                text.append('"');
                                j += 2;
                                continue;
                            }
                            closed = true;
                            j++;
                            break;
                        }
                        text.append(ch);
                        j++;
                    }
                    if (!closed) {
                        throw new BonsaiException("CSV file " + file + ", line " + lineNumber + ", column " + (start + 1)
                                + ": a quoted field is not closed on its line (fields may not span lines)");
                    }
                    while (j < n && line.charAt(j) != delimiter) {
                        if (line.charAt(j) != ' ') {
                            throw new BonsaiException("CSV file " + file + ", line " + lineNumber + ", column "
                                    + (j + 1) + ": expected '" + printable(delimiter) + "' after a quoted field, found '"
                                    + line.charAt(j) + "'");
                        }
                        j++;
                    }
                    i = j;
                } else {
                    int end = line.indexOf(delimiter, i);
                    if (end < 0) {
                        end = n;
                    }
                    text.append(line, i, end);
                    i = end;
                }
                fields.add(new Field(text.toString(), start + 1));
                if (i >= n) {
                    break;
                }
                i++; // the delimiter
                if (i == n) {
                    fields.add(new Field("", n + 1));
                    break;
                }
            }
            return fields;
        }
    }

    /** A field's text and the 1-based character column where it starts. */
    private record Field(String text, int column) {
    }
}
