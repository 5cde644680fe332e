package dev.bonsai.datasets.user;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import java.util.Optional;

/**
 * The options of the {@code csv} dataset: a user's table of numeric features and a label column.
 *
 * @param file         the training table (or the whole table, when {@code testFile} is absent)
 * @param testFile     a separate test table with the same columns
 * @param label        the label column: its header name, its 0-based index, {@code first} or {@code last}
 * @param header       whether the first line is a header; detected when absent
 * @param delimiter    the field separator
 * @param testFraction without a test file, the fraction of rows, from the end, used as the test split
 * @param normalize    whether each feature is standardised with its training mean and standard deviation
 */
@Doc("Options of the csv dataset: numeric features and one label column per row, from your own CSV files.")
public record CsvOptions(
        @Doc("The CSV file; relative paths are resolved against the dataset path, else the working directory.")
        String file,
        @Doc("A separate test CSV file with the same columns; when absent, the last test_fraction of the rows are "
                + "the test split.")
        Optional<String> testFile,
        @Doc("The label column: its name in the header, its 0-based index, 'first' or 'last'. Labels that are all "
                + "non-negative integers are class indices (classes = largest + 1); otherwise each distinct value is "
                + "a class, numbered in sorted order.")
        @DefaultValue("last")
        String label,
        @Doc("true: the first line names the columns; false: every line is data; when omitted, a first line with a "
                + "non-numeric feature field (or a label column given by name) means there is a header.")
        Optional<Boolean> header,
        @Doc("The field separator, one character (use '\\t' for tabs). Fields may be quoted with double quotes.")
        @DefaultValue("\",\"")
        String delimiter,
        @Doc("Without a test file: the fraction of the rows, taken from the end, used as the test split.")
        @DefaultValue("0.2") @Range(min = 0, max = 1, minExclusive = true, maxExclusive = true)
        double testFraction,
        @Doc("Standardise each feature column with its mean and standard deviation over the training rows.")
        @DefaultValue("false")
        boolean normalize) {

}
