package dev.bonsai.reports.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Maps data values to pixels along one axis, linearly or logarithmically, and proposes ticks.
 *
 * @param lower the smallest data value shown
 * @param upper the largest data value shown
 * @param from  the pixel of {@code lower}
 * @param to    the pixel of {@code upper}
 * @param log   whether the mapping is logarithmic (then both bounds are positive)
 */
record Scale(double lower, double upper, double from, double to, boolean log) {

    /** A tick: a value, its label, and an optional second line. */
    record Tick(double value, String label, String sublabel) {
    }

    Scale {
        if (!(upper > lower) || log && lower <= 0) {
            throw new IllegalArgumentException("bad domain [" + lower + ", " + upper + "]" + (log ? " (log)" : ""));
        }
    }

    /** A linear scale over [min, max] widened to nice tick values (and never to a zero-width domain). */
    static Scale niceLinear(double min, double max, double from, double to) {
        if (!(max > min)) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.05;
            min -= pad;
            max += pad;
        }
        double step = niceStep((max - min) / 5);
        return new Scale(Math.floor(min / step) * step, Math.ceil(max / step) * step, from, to, false);
    }

    /**
     * {@link #niceLinear} kept within [{@code floor}, {@code ceiling}] (say 0 and 100 for percentages, where a
     * margin or a confidence interval must not stretch the axis beyond what the values can be).
     */
    static Scale niceLinear(double min, double max, double from, double to, double floor, double ceiling) {
        Scale nice = niceLinear(Math.max(min, floor), Math.min(max, ceiling), from, to);
        double lower = Math.max(nice.lower(), floor);
        double upper = Math.min(nice.upper(), ceiling);
        return upper > lower ? new Scale(lower, upper, from, to, false) : nice;
    }

    /** A logarithmic scale over [min, max] with a margin of {@code pad} of the range (in log units) each side. */
    static Scale log(double min, double max, double pad, double from, double to) {
        double a = Math.log(min);
        double b = Math.log(max);
        if (!(b > a)) {
            a -= Math.log(2);
            b += Math.log(2);
        }
        double margin = (b - a) * pad;
        return new Scale(Math.exp(a - margin), Math.exp(b + margin), from, to, true);
    }

    /** The pixel of {@code v}. */
    double map(double v) {
        double t = log ? (Math.log(v) - Math.log(lower)) / (Math.log(upper) - Math.log(lower))
                : (v - lower) / (upper - lower);
        return from + t * (to - from);
    }

    /** Whether {@code v} lies in the domain (with a little tolerance for rounding). */
    boolean contains(double v) {
        double eps = (upper - lower) * 1e-9;
        return v >= lower - eps && v <= upper + eps && (!log || v > 0);
    }

    /** 1, 2 or 5 times a power of ten, the smallest at least {@code raw}. */
    static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * power >= raw * 0.999) {
                return m * power;
            }
        }
        return 10 * power;
    }

    /** Ticks of a linear scale at nice steps, labelled with as many decimals as the step needs. */
    List<Tick> linearTicks(String suffix) {
        double step = niceStep((upper - lower) / 6);
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        if (Math.abs(step * Math.pow(10, decimals) - Math.round(step * Math.pow(10, decimals))) > 1e-9) {
            decimals++;
        }
        List<Tick> ticks = new ArrayList<>();
        long first = (long) Math.ceil(lower / step - 1e-9);
        for (long i = first; i * step <= upper + step * 1e-9; i++) {
            double v = i * step;
            ticks.add(new Tick(v, String.format(Locale.ROOT, "%." + decimals + "f", v) + suffix, null));
        }
        return ticks;
    }

    /** Ticks of a logarithmic scale at 1, 2 and 5 times powers of ten (fewer when that makes too many). */
    List<Tick> logTicks(DoubleFunction<String> label) {
        List<Tick> ticks = new ArrayList<>();
        for (double[] mantissas : new double[][] {{1, 2, 5}, {1}}) {
            ticks.clear();
            for (int e = (int) Math.floor(Math.log10(lower)); e <= (int) Math.ceil(Math.log10(upper)); e++) {
                for (double m : mantissas) {
                    double v = m * Math.pow(10, e);
                    if (contains(v)) {
                        ticks.add(new Tick(v, label.apply(v), null));
                    }
                }
            }
            if (ticks.size() <= 8) {
                break;
            }
        }
        if (ticks.size() < 2) {
            ticks.clear();
            ticks.add(new Tick(lower, label.apply(lower), null));
            ticks.add(new Tick(upper, label.apply(upper), null));
        }
        return ticks;
    }

    /** A count in short form: 950, 1.2k, 266k, 1.5M. */
    static String compact(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) {
            return trim(v / 1e9) + "G";
        }
        if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (a >= 1e3) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
