package dev.bonsai.datasets.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Text cut into the documents or rows that language-model evaluation protocols tokenise, with Python's string
 * semantics, so that the documents are those of the Python scripts that define the protocols.
 */
public final class TextDocuments {
    private TextDocuments() {
    }

    /**
     * The blank-line-separated documents of {@code text}: its parts between {@code "\n\n"}, each stripped of
     * leading and trailing whitespace as Python's {@code str.strip()} does, the empty ones dropped (Python's
     * {@code [p.strip() for p in text.split("\n\n") if p.strip()]}).
     */
    public static List<String> paragraphs(String text) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (from <= text.length()) {
            int end = text.indexOf("\n\n", from);
            if (end < 0) {
                end = text.length();
            }
            String part = strip(text.substring(from, end));
            if (!part.isEmpty()) {
                out.add(part);
            }
            from = end + 2;
        }
        return out;
    }

    /**
     * The rows of a WikiText file as the Hugging Face {@code wikitext} dataset holds them: one row per line, read as
     * Python reads a text file (a line ends at {@code \n}, {@code \r\n} or {@code \r}, each read as {@code \n}, and
     * keeps it), a line of nothing but whitespace becoming the empty row.
     */
    public static List<String> lineRows(String text) {
        String normalised = text.replace("\r\n", "\n").replace('\r', '\n');
        List<String> rows = new ArrayList<>();
        int from = 0;
        while (from < normalised.length()) {
            int end = normalised.indexOf('\n', from);
            end = end < 0 ? normalised.length() : end + 1;
            String line = normalised.substring(from, end);
            rows.add(strip(line).isEmpty() ? "" : line);
            from = end;
        }
        return rows;
    }

    /** {@code text} without the leading and trailing characters Python's {@code str.isspace()} calls whitespace. */
    public static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isPythonSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /**
     * Whether Python's {@code str.isspace()} holds for {@code c}: Java's whitespace plus the no-break spaces
     * (U+00A0, U+2007, U+202F) and NEL (U+0085), which Java leaves out. Every such character is in the BMP.
     */
    static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || c == '\u0085' || c == '\u00A0' || c == '\u2007' || c == '\u202F';
    }
}
