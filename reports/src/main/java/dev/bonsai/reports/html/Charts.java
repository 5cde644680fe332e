package dev.bonsai.reports.html;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The report's plots as inline SVG: lines with confidence bands, a scatter with its Pareto front, stacked bars and
 * grouped bars.
 * Colours come from the page's style sheet through the classes {@code s0}…{@code s7} (a colour-blind-safe
 * palette), so the plots follow the page's light or dark scheme; series also differ by marker shape, and by dash
 * once the palette repeats.
 */
final class Charts {
    static final int PALETTE = 8;
    static final double WIDTH = 760;
    private static final double LEFT = 70;
    private static final double RIGHT = 20;
    private static final double TOP = 14;
    private static final double PLOT_HEIGHT = 300;
    private static final double CHAR = 6.6;

    private Charts() {
    }

    /**
     * A point with an optional interval.
     *
     * @param x       the x value
     * @param y       the y value (the mean)
     * @param lower   the interval's lower end, NaN when none
     * @param upper   the interval's upper end, NaN when none
     * @param tooltip what hovering over the point shows
     */
    record Point(double x, double y, double lower, double upper, String tooltip) {
        boolean hasInterval() {
            return !Double.isNaN(lower) && !Double.isNaN(upper);
        }
    }

    /**
     * A named series of points.
     *
     * @param name   the legend text
     * @param colour the palette index of its colour
     * @param shape  the index of its marker shape (circle, square, triangle, diamond, inverted triangle)
     * @param dash   0 for a solid line, 1 or more for dash patterns
     * @param points its points
     */
    record Series(String name, int colour, int shape, int dash, List<Point> points) {
    }

    /**
     * An axis: its scale, ticks and title.
     *
     * @param scale the mapping to pixels
     * @param ticks the ticks
     * @param title the title, with the unit
     */
    record Axis(Scale scale, List<Scale.Tick> ticks, String title) {
    }

    /**
     * A horizontal reference line.
     *
     * @param y     where
     * @param label its label, drawn at the right end
     */
    record Reference(double y, String label) {
    }

    /**
     * A stacked bar.
     *
     * @param label    the row's label
     * @param segments the segment lengths, one per stack name
     */
    record Bar(String label, double[] segments) {
    }

    /** The plot area's pixels on the x axis (for building scales). */
    static double xFrom() {
        return LEFT;
    }

    /** The right end of the plot area on the x axis. */
    static double xTo() {
        return WIDTH - RIGHT;
    }

    /** The bottom of the plot area on the y axis (for building scales). */
    static double yFrom() {
        return TOP + PLOT_HEIGHT;
    }

    /** The top of the plot area on the y axis. */
    static double yTo() {
        return TOP;
    }

    /** Lines through each series' points (ascending x) with their intervals as a translucent band. */
    static String lines(String label, Axis x, Axis y, List<Series> series, List<Reference> references) {
        Legend legend = new Legend();
        series.forEach(legend::add);
        references.forEach(r -> legend.addReference(r.label()));
        Svg svg = frame(label, x, y, legend);
        for (Reference r : references) {
            if (y.scale().contains(r.y())) {
                double py = y.scale().map(r.y());
                svg.empty("line", "class", "reference", "x1", LEFT, "x2", WIDTH - RIGHT, "y1", py, "y2", py);
            }
        }
        for (int i = 0; i < series.size(); i++) {
            Series line = series.get(i);
            List<Point> points = line.points().stream().sorted(Comparator.comparingDouble(Point::x)).toList();
            svg.open("g", "class", "series " + colour(line.colour()));
            StringBuilder band = new StringBuilder();
            List<Point> withBand = points.stream().filter(Point::hasInterval).toList();
            if (withBand.size() >= 2) {
                for (Point p : withBand) {
                    band.append(band.length() == 0 ? "M" : "L").append(Svg.num(x.scale().map(p.x()))).append(' ')
                            .append(Svg.num(y.scale().map(clamp(y.scale(), p.upper()))));
                }
                for (int k = withBand.size() - 1; k >= 0; k--) {
                    Point p = withBand.get(k);
                    band.append('L').append(Svg.num(x.scale().map(p.x()))).append(' ')
                            .append(Svg.num(y.scale().map(clamp(y.scale(), p.lower()))));
                }
                svg.empty("path", "class", "band", "d", band + "Z");
            }
            if (points.size() >= 2) {
                StringBuilder d = new StringBuilder();
                for (Point p : points) {
                    d.append(d.length() == 0 ? "M" : "L").append(Svg.num(x.scale().map(p.x()))).append(' ')
                            .append(Svg.num(y.scale().map(p.y())));
                }
                svg.empty("path", "class", "line", "d", d.toString(), "stroke-dasharray", dash(line.dash()));
            }
            for (Point p : points) {
                double px = x.scale().map(p.x());
                if (p.hasInterval() && points.size() < 2) {
                    whisker(svg, px, y.scale().map(clamp(y.scale(), p.lower())),
                            y.scale().map(clamp(y.scale(), p.upper())));
                }
                marker(svg, line.shape(), px, y.scale().map(p.y()), p.tooltip());
            }
            svg.close("g");
        }
        legend.draw(svg);
        return svg.finish();
    }

    /**
     * Every series' points with their intervals as whiskers, and the Pareto front (the points no other point beats
     * with fewer or equal x and higher or equal y) as a step line, its points ringed.
     */
    static String pareto(String label, Axis x, Axis y, List<Series> series) {
        Legend legend = new Legend();
        legend.lines = false;
        series.forEach(legend::add);
        legend.addFront("Pareto front");
        Svg svg = frame(label, x, y, legend);
        List<Point> all = new ArrayList<>();
        series.forEach(s -> all.addAll(s.points()));
        List<Point> front = front(all);
        if (!front.isEmpty()) {
            StringBuilder d = new StringBuilder();
            Point previous = null;
            for (Point p : front) {
                double px = x.scale().map(p.x());
                double py = y.scale().map(p.y());
                if (previous == null) {
                    d.append('M').append(Svg.num(px)).append(' ').append(Svg.num(py));
                } else {
                    d.append('H').append(Svg.num(px)).append('V').append(Svg.num(py));
                }
                previous = p;
            }
            d.append('H').append(Svg.num(WIDTH - RIGHT));
            svg.empty("path", "class", "front", "d", d.toString());
            for (Point p : front) {
                svg.empty("circle", "class", "front-ring", "cx", x.scale().map(p.x()), "cy", y.scale().map(p.y()),
                        "r", 8.5);
            }
        }
        for (Series scatter : series) {
            svg.open("g", "class", "series " + colour(scatter.colour()));
            for (Point p : scatter.points()) {
                double px = x.scale().map(p.x());
                if (p.hasInterval()) {
                    whisker(svg, px, y.scale().map(clamp(y.scale(), p.lower())),
                            y.scale().map(clamp(y.scale(), p.upper())));
                }
                marker(svg, scatter.shape(), px, y.scale().map(p.y()), p.tooltip()
                        + (front.contains(p) ? " · on the Pareto front" : ""));
            }
            svg.close("g");
        }
        legend.draw(svg);
        return svg.finish();
    }

    /** The Pareto-optimal points (smaller x and larger y are better), ascending in x. */
    static List<Point> front(List<Point> points) {
        List<Point> sorted = points.stream()
                .sorted(Comparator.comparingDouble(Point::x).thenComparing(Comparator.comparingDouble(Point::y)
                        .reversed()))
                .toList();
        List<Point> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (Point p : sorted) {
            if (p.y() > best) {
                front.add(p);
                best = p.y();
            }
        }
        return front;
    }

    /** Horizontal stacked bars, one per row, one colour per stack; the total at each bar's end. */
    static String stackedBars(String label, List<String> stacks, List<Bar> bars, String xTitle, String unit) {
        double left = 24;
        double rowHeight = 40;
        double top = TOP;
        double plotHeight = rowHeight * bars.size() + 8;
        double max = bars.stream().mapToDouble(b -> sum(b.segments())).max().orElse(1);
        Scale scale = Scale.niceLinear(0, max > 0 ? max * 1.08 : 1, left, WIDTH - RIGHT - 40);
        Legend legend = new Legend();
        stacks.forEach(legend::addBlock);
        double axisBottom = top + plotHeight;
        double legendTop = axisBottom + 52;
        double height = legendTop + legend.height(left, WIDTH - RIGHT) + 6;
        Svg svg = new Svg(WIDTH, height, "chart", label);
        for (Scale.Tick t : scale.linearTicks("")) {
            double px = scale.map(t.value());
            svg.empty("line", "class", "grid", "x1", px, "x2", px, "y1", top, "y2", axisBottom);
            svg.text(px, axisBottom + 18, t.label(), "class", "tick", "text-anchor", "middle");
        }
        svg.empty("line", "class", "axis", "x1", left, "x2", left, "y1", top, "y2", axisBottom);
        svg.empty("line", "class", "axis", "x1", left, "x2", scale.to(), "y1", axisBottom, "y2", axisBottom);
        svg.text((left + scale.to()) / 2, axisBottom + 40, xTitle, "class", "axis-title", "text-anchor", "middle");
        for (int r = 0; r < bars.size(); r++) {
            Bar bar = bars.get(r);
            double y0 = top + 6 + r * rowHeight;
            svg.text(left + 2, y0 + 9, bar.label(), "class", "bar-label", "dominant-baseline", "middle");
            double barTop = y0 + 17;
            double barHeight = rowHeight - 21;
            double at = 0;
            for (int s = 0; s < bar.segments().length; s++) {
                double v = bar.segments()[s];
                if (!(v > 0)) {
                    continue;
                }
                double x0 = scale.map(at);
                double x1 = scale.map(at + v);
                svg.open("rect", "class", "segment " + colour(s), "x", x0, "y", barTop, "width",
                        Math.max(0.5, x1 - x0), "height", barHeight);
                svg.title(bar.label() + " · " + stacks.get(s) + ": " + seconds(v) + " " + unit);
                svg.close("rect");
                at += v;
            }
            svg.text(scale.map(at) + 6, barTop + barHeight / 2, seconds(at) + " " + unit, "class", "value",
                    "dominant-baseline", "middle");
        }
        legend.drawAt(svg, left, WIDTH - RIGHT, legendTop);
        return svg.finish();
    }

    /**
     * Horizontal bars grouped by category: for each category (a row label above its cluster) one bar per group, one
     * colour per group, on a 0–100 % scale, the value at each bar's end. NaN values draw no bar.
     *
     * @param values {@code values[group][category]} in %
     */
    static String groupedBars(String label, List<String> categories, List<String> groups, double[][] values,
            String xTitle) {
        double left = 24;
        double barHeight = 12;
        double clusterHeight = 20 + barHeight * groups.size();
        double top = TOP;
        double plotHeight = clusterHeight * categories.size() + 8;
        Scale scale = Scale.niceLinear(0, 100, left, WIDTH - RIGHT - 50);
        Legend legend = new Legend();
        groups.forEach(legend::addBlock);
        double axisBottom = top + plotHeight;
        double legendTop = axisBottom + 52;
        Svg svg = new Svg(WIDTH, legendTop + legend.height(left, WIDTH - RIGHT) + 6, "chart", label);
        for (Scale.Tick t : scale.linearTicks("%")) {
            double px = scale.map(t.value());
            svg.empty("line", "class", "grid", "x1", px, "x2", px, "y1", top, "y2", axisBottom);
            svg.text(px, axisBottom + 18, t.label(), "class", "tick", "text-anchor", "middle");
        }
        svg.empty("line", "class", "axis", "x1", left, "x2", left, "y1", top, "y2", axisBottom);
        svg.empty("line", "class", "axis", "x1", left, "x2", scale.to(), "y1", axisBottom, "y2", axisBottom);
        svg.text((left + scale.to()) / 2, axisBottom + 40, xTitle, "class", "axis-title", "text-anchor", "middle");
        for (int c = 0; c < categories.size(); c++) {
            double y0 = top + 6 + c * clusterHeight;
            svg.text(left + 2, y0 + 9, categories.get(c), "class", "bar-label", "dominant-baseline", "middle");
            for (int g = 0; g < groups.size(); g++) {
                double v = values[g][c];
                if (Double.isNaN(v)) {
                    continue;
                }
                double barTop = y0 + 17 + g * barHeight;
                double x1 = scale.map(Math.max(0, Math.min(100, v)));
                svg.open("rect", "class", "segment " + colour(g), "x", left, "y", barTop, "width",
                        Math.max(0.5, x1 - left), "height", barHeight - 2);
                svg.title(categories.get(c) + " · " + groups.get(g) + ": " + String.format(Locale.ROOT, "%.1f%%", v));
                svg.close("rect");
                svg.text(x1 + 6, barTop + (barHeight - 2) / 2, String.format(Locale.ROOT, "%.1f%%", v), "class",
                        "value", "dominant-baseline", "middle");
            }
        }
        legend.drawAt(svg, left, WIDTH - RIGHT, legendTop);
        return svg.finish();
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            if (v > 0) {
                s += v;
            }
        }
        return s;
    }

    static String seconds(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static Svg frame(String label, Axis x, Axis y, Legend legend) {
        boolean twoLines = x.ticks().stream().anyMatch(t -> t.sublabel() != null);
        double axisBottom = TOP + PLOT_HEIGHT;
        double titleY = axisBottom + (twoLines ? 54 : 40);
        double legendTop = titleY + 14;
        double height = legendTop + legend.height(LEFT, WIDTH - RIGHT) + 6;
        Svg svg = new Svg(WIDTH, height, "chart", label);
        Scale xs = x.scale();
        Scale ys = y.scale();
        for (Scale.Tick t : y.ticks()) {
            double py = ys.map(t.value());
            svg.empty("line", "class", "grid", "x1", LEFT, "x2", WIDTH - RIGHT, "y1", py, "y2", py);
            svg.text(LEFT - 8, py, t.label(), "class", "tick", "text-anchor", "end", "dominant-baseline", "middle");
        }
        double lastLabel = Double.NEGATIVE_INFINITY;
        for (Scale.Tick t : x.ticks()) {
            double px = xs.map(t.value());
            svg.empty("line", "class", "grid", "x1", px, "x2", px, "y1", TOP, "y2", axisBottom);
            svg.empty("line", "class", "axis", "x1", px, "x2", px, "y1", axisBottom, "y2", axisBottom + 5);
            double width = CHAR * Math.max(t.label().length(), t.sublabel() == null ? 0 : t.sublabel().length());
            if (px - lastLabel < width + 10) {
                continue; // too close to the previous label: the tick stays, its label would overlap
            }
            lastLabel = px;
            svg.text(px, axisBottom + 19, t.label(), "class", "tick", "text-anchor", "middle");
            if (t.sublabel() != null) {
                svg.text(px, axisBottom + 34, t.sublabel(), "class", "tick sub", "text-anchor", "middle");
            }
        }
        svg.empty("rect", "class", "plot-frame", "x", LEFT, "y", TOP, "width", WIDTH - RIGHT - LEFT, "height",
                PLOT_HEIGHT);
        svg.text((LEFT + WIDTH - RIGHT) / 2, titleY, x.title(), "class", "axis-title", "text-anchor", "middle");
        double cy = TOP + PLOT_HEIGHT / 2;
        svg.text(16, cy, y.title(), "class", "axis-title", "text-anchor", "middle", "transform",
                "rotate(-90 16 " + Svg.num(cy) + ")");
        legend.top = legendTop;
        return svg;
    }

    private static double clamp(Scale s, double v) {
        return Math.max(s.lower(), Math.min(s.upper(), v));
    }

    private static void whisker(Svg svg, double x, double y0, double y1) {
        svg.empty("path", "class", "whisker", "d", "M" + Svg.num(x - 4) + " " + Svg.num(y0) + "H" + Svg.num(x + 4)
                + "M" + Svg.num(x) + " " + Svg.num(y0) + "V" + Svg.num(y1) + "M" + Svg.num(x - 4) + " "
                + Svg.num(y1) + "H" + Svg.num(x + 4));
    }

    static String colour(int i) {
        return "s" + (i % PALETTE);
    }

    private static String dash(int i) {
        return switch (i % 4) {
            case 0 -> null;
            case 1 -> "7 4";
            case 2 -> "2 3";
            default -> "9 3 2 3";
        };
    }

    /** A marker of shape {@code shape}: circle, square, triangle, diamond or inverted triangle. */
    private static void marker(Svg svg, int shape, double x, double y, String tooltip) {
        String d = switch (shape % 5) {
            case 0 -> null;
            case 1 -> "M" + Svg.num(x - 4) + " " + Svg.num(y - 4) + "h8v8h-8Z";
            case 2 -> "M" + Svg.num(x) + " " + Svg.num(y - 5.5) + "l5 9h-10Z";
            case 3 -> "M" + Svg.num(x) + " " + Svg.num(y - 5.5) + "l5.5 5.5l-5.5 5.5l-5.5 -5.5Z";
            default -> "M" + Svg.num(x) + " " + Svg.num(y + 5.5) + "l5 -9h-10Z";
        };
        if (d == null) {
            svg.open("circle", "class", "marker", "cx", x, "cy", y, "r", 4.5);
            if (tooltip != null) {
                svg.title(tooltip);
            }
            svg.close("circle");
        } else {
            svg.open("path", "class", "marker", "d", d);
            if (tooltip != null) {
                svg.title(tooltip);
            }
            svg.close("path");
        }
    }

    /** The legend below a plot, in rows. */
    private static final class Legend {
        private final List<String[]> items = new ArrayList<>(); // kind, text
        private final List<Series> series = new ArrayList<>();
        double top;
        boolean lines = true;

        void add(Series s) {
            items.add(new String[] {"series", s.name()});
            series.add(s);
        }

        void addReference(String text) {
            items.add(new String[] {"reference", text});
        }

        void addFront(String text) {
            items.add(new String[] {"front", text});
        }

        void addBlock(String text) {
            items.add(new String[] {"block", text});
        }

        private static double width(String[] item) {
            return 30 + CHAR * item[1].length() + 18;
        }

        double height(double left, double right) {
            return rows(left, right) * 20;
        }

        private int rows(double left, double right) {
            int rows = items.isEmpty() ? 0 : 1;
            double at = left;
            for (String[] item : items) {
                double w = width(item);
                if (at + w > right && at > left) {
                    rows++;
                    at = left;
                }
                at += w;
            }
            return rows;
        }

        void draw(Svg svg) {
            drawAt(svg, LEFT, WIDTH - RIGHT, top);
        }

        void drawAt(Svg svg, double left, double right, double y0) {
            double at = left;
            double y = y0 + 8;
            int next = 0;
            int block = 0;
            svg.open("g", "class", "legend");
            for (String[] item : items) {
                double w = width(item);
                if (at + w > right && at > left) {
                    at = left;
                    y += 20;
                }
                switch (item[0]) {
                    case "series" -> {
                        Series s = series.get(next++);
                        svg.open("g", "class", "series " + colour(s.colour()));
                        if (lines && s.points().size() > 1) {
                            svg.empty("path", "class", "line", "d", "M" + Svg.num(at) + " " + Svg.num(y) + "h24",
                                    "stroke-dasharray", dash(s.dash()));
                        }
                        marker(svg, s.shape(), at + 12, y, null);
                        svg.close("g");
                    }
                    case "reference" -> svg.empty("line", "class", "reference", "x1", at, "x2", at + 24, "y1", y,
                            "y2", y);
                    case "front" -> {
                        svg.empty("path", "class", "front", "d", "M" + Svg.num(at) + " " + Svg.num(y) + "h24");
                        svg.empty("circle", "class", "front-ring", "cx", at + 12, "cy", y, "r", 6.5);
                    }
                    default -> {
                        svg.empty("rect", "class", "segment " + colour(block), "x", at + 2, "y", y - 6, "width", 20,
                                "height", 12);
                        block++;
                    }
                }
                svg.text(at + 30, y, item[1], "class", "legend-text", "dominant-baseline", "middle");
                at += w;
            }
            svg.close("g");
        }
    }
}
