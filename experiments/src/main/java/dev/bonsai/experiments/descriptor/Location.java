package dev.bonsai.experiments.descriptor;

/**
 * A position in a descriptor file, 1-based.
 *
 * @param line   the line
 * @param column the column
 */
public record Location(int line, int column) {
    /** For values that do not come from the file (defaults, overrides). */
    public static final Location NONE = new Location(0, 0);

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
