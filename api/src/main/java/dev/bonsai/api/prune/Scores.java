package dev.bonsai.api.prune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Per-element importance scores by parameter name; higher means keep. NaN is not allowed. */
public final class Scores {
    private final Map<String, float[]> scores;

    /** Wraps the map (copying the map, not the arrays). */
    public Scores(Map<String, float[]> scores) {
        this.scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }

    /** The scores by parameter name. */
    public Map<String, float[]> asMap() {
        return scores;
    }

    /** The scores of {@code parameter}, or an error naming it. */
    public float[] get(String parameter) {
        float[] s = scores.get(parameter);
        if (s == null) {
            throw new IllegalArgumentException("no scores for parameter '" + parameter + "'; scored: " + scores.keySet());
        }
        return s;
    }
}
