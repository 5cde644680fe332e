package dev.bonsai.reports.model;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How one output format writes {@link Span spans}: each style's text through its function, a break as its text.
 *
 * @param plain     ordinary text, escaped for the format
 * @param code      a name, id or hash in the format's code font
 * @param note      a remark, emphasised
 * @param lineBreak what ends a group of values
 */
public record SpanFormat(UnaryOperator<String> plain, UnaryOperator<String> code, UnaryOperator<String> note,
        String lineBreak) {

    /** Checks that all are given. */
    public SpanFormat {
        Objects.requireNonNull(plain, "plain");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(lineBreak, "lineBreak");
    }

    /** The spans written one after the other. */
    public String write(List<Span> spans) {
        StringBuilder b = new StringBuilder();
        for (Span span : spans) {
            b.append(switch (span.style()) {
                case PLAIN -> plain.apply(span.text());
                case CODE -> code.apply(span.text());
                case NOTE -> note.apply(span.text());
                case BREAK -> lineBreak;
            });
        }
        return b.toString();
    }
}
