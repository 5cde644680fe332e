package dev.bonsai.reports.io;

/**
 * The one textual form of a {@code double} in Bonsai's result files, so that {@code results.jsonl} and
 * {@code results.csv} agree character for character and every value reads back to the identical {@code double}.
 *
 * <p>Finite values are written as {@link Double#toString(double)} writes them (for example {@code 0.9},
 * {@code 1.0E-5}, {@code -0.0}), which parses back to the same bits. Non-finite values, which JSON cannot hold as
 * numbers, are written as the strings {@value #NAN}, {@value #POSITIVE_INFINITY} and {@value #NEGATIVE_INFINITY}
 * (in JSON as quoted strings; Python's {@code float()} and most CSV readers parse them).
 */
public final class NumberText {
    /** The text of NaN. */
    public static final String NAN = "NaN";
    /** The text of positive infinity. */
    public static final String POSITIVE_INFINITY = "Infinity";
    /** The text of negative infinity. */
    public static final String NEGATIVE_INFINITY = "-Infinity";

    private NumberText() {
    }

    /** The text of {@code value}. */
    public static String format(double value) {
        return Double.toString(value);
    }

    /**
     * The {@code double} that {@code text} stands for: a decimal number or one of the non-finite names.
     *
     * @throws NumberFormatException when it is neither
     */
    public static double parse(String text) {
        switch (text) {
            case NAN:
                return Double.NaN;
            case POSITIVE_INFINITY:
                return Double.POSITIVE_INFINITY;
            case NEGATIVE_INFINITY:
                return Double.NEGATIVE_INFINITY;
            default:
                String trimmed = text.strip();
                if (trimmed.isEmpty() || !isDecimal(trimmed)) {
                    throw new NumberFormatException("not a number: '" + text + "'");
                }
                return Double.parseDouble(trimmed);
        }
    }

    /** Whether {@code value} is written as a string rather than a JSON number. */
    public static boolean isNonFinite(double value) {
        return Double.isNaN(value) || Double.isInfinite(value);
    }

    /** Rejects what {@link Double#parseDouble} accepts beyond plain decimals: hex floats, "d"/"f" suffixes. */
    private static boolean isDecimal(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
