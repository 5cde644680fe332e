package dev.bonsai.reports.model;

import java.util.Objects;

/**
 * A piece of a report's running text, free of any output format; a renderer escapes and marks it up.
 *
 * @param style what the text is
 * @param text  the text, verbatim; empty for a {@link Style#BREAK}
 */
public record Span(Style style, String text) {

    /** What a span's text is, and so how a format shows it. */
    public enum Style {
        /** Ordinary text. */
        PLAIN,
        /** A name, id or hash to show verbatim, in a code font. */
        CODE,
        /** A remark about a value rather than a value, such as {@code not recorded}; shown emphasised. */
        NOTE,
        /** The end of one group of values in a list: a line break where the format has one, else a separator. */
        BREAK
    }

    /** Checks that both are given. */
    public Span {
        Objects.requireNonNull(style, "style");
        Objects.requireNonNull(text, "text");
    }

    /** Ordinary text. */
    public static Span plain(String text) {
        return new Span(Style.PLAIN, text);
    }

    /** A name, id or hash. */
    public static Span code(String text) {
        return new Span(Style.CODE, text);
    }

    /** A remark about a value. */
    public static Span note(String text) {
        return new Span(Style.NOTE, text);
    }

    /** The end of one group of values. */
    public static Span lineBreak() {
        return new Span(Style.BREAK, "");
    }
}
