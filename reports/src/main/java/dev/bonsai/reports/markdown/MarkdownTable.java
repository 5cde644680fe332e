package dev.bonsai.reports.markdown;

import java.util.ArrayList;
import java.util.List;

/** A GitHub-flavoured Markdown table, padded so the raw text lines up too. Cells are already escaped. */
final class MarkdownTable {
    private final List<String> headers;
    private final List<Boolean> rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(List<String> headers, List<Boolean> rightAligned) {
        if (headers.size() != rightAligned.size()) {
            throw new IllegalArgumentException(headers.size() + " headers but " + rightAligned.size() + " alignments");
        }
        this.headers = List.copyOf(headers);
        this.rightAligned = List.copyOf(rightAligned);
    }

    void add(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException(headers.size() + " columns but " + cells.size() + " cells");
        }
        rows.add(List.copyOf(cells));
    }

    void appendTo(StringBuilder out) {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = Math.max(3, width(headers.get(c)));
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], width(row.get(c)));
            }
        }
        line(out, headers, widths);
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            out.append(' ');
            if (rightAligned.get(c)) {
                out.append("-".repeat(widths[c] - 1)).append(':');
            } else {
                out.append("-".repeat(widths[c]));
            }
            out.append(" |");
        }
        out.append('\n');
        for (List<String> row : rows) {
            line(out, row, widths);
        }
    }

    private void line(StringBuilder out, List<String> cells, int[] widths) {
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - width(cell));
            out.append(' ');
            if (rightAligned.get(c)) {
                out.append(pad).append(cell);
            } else {
                out.append(cell).append(pad);
            }
            out.append(" |");
        }
        out.append('\n');
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
