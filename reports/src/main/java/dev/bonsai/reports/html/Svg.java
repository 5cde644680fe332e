package dev.bonsai.reports.html;

import java.util.Locale;

/**
 * A small writer of SVG markup: elements with attributes, text escaped, coordinates rounded to 0.01. The result is
 * an {@code <svg>} element meant to be inlined into an HTML page, whose style sheet colours it through classes.
 */
final class Svg {
    private final StringBuilder out = new StringBuilder(8192);
    private boolean finished;

    /** Starts an SVG of the given size in user units; it scales to its container's width. */
    Svg(double width, double height, String cssClass, String label) {
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"").append(escape(cssClass))
                .append("\" viewBox=\"0 0 ").append(num(width)).append(' ').append(num(height))
                .append("\" width=\"").append(num(width)).append("\" height=\"").append(num(height))
                .append("\" role=\"img\" aria-label=\"").append(escape(label)).append("\">\n");
        open("title").raw(escape(label)).close("title");
    }

    /** Opens {@code tag} with attributes given as name, value pairs (null values are left out). */
    Svg open(String tag, Object... attributes) {
        start(tag, attributes);
        out.append(">");
        return this;
    }

    /** Closes {@code tag}. */
    Svg close(String tag) {
        out.append("</").append(tag).append(">\n");
        return this;
    }

    /** An element without content. */
    Svg empty(String tag, Object... attributes) {
        start(tag, attributes);
        out.append("/>\n");
        return this;
    }

    /** A {@code <text>} element holding {@code text}, escaped. */
    Svg text(double x, double y, String text, Object... attributes) {
        Object[] all = new Object[attributes.length + 4];
        all[0] = "x";
        all[1] = x;
        all[2] = "y";
        all[3] = y;
        System.arraycopy(attributes, 0, all, 4, attributes.length);
        start("text", all);
        out.append('>').append(escape(text)).append("</text>\n");
        return this;
    }

    /** A tooltip for the enclosing element. */
    Svg title(String text) {
        out.append("<title>").append(escape(text)).append("</title>");
        return this;
    }

    /** Appends markup as it is. */
    Svg raw(String markup) {
        out.append(markup);
        return this;
    }

    private void start(String tag, Object... attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs");
        }
        out.append('<').append(tag);
        for (int i = 0; i < attributes.length; i += 2) {
            Object value = attributes[i + 1];
            if (value == null) {
                continue;
            }
            String text = value instanceof Double d ? num(d) : value instanceof Float f ? num(f) : value.toString();
            out.append(' ').append(attributes[i]).append("=\"").append(escape(text)).append('"');
        }
    }

    /** The finished markup. */
    String finish() {
        if (!finished) {
            out.append("</svg>\n");
            finished = true;
        }
        return out.toString();
    }

    /** A coordinate: at most two decimals, no trailing zeros. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("not a finite coordinate: " + v);
        }
        long hundredths = Math.round(v * 100);
        if (hundredths % 100 == 0) {
            return Long.toString(hundredths / 100);
        }
        String s = String.format(Locale.ROOT, "%.2f", hundredths / 100.0);
        return s.endsWith("0") ? s.substring(0, s.length() - 1) : s;
    }

    /** Text made safe for XML content and attribute values. */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        b.append(' ');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
