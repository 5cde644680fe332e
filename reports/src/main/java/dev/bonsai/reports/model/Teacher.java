package dev.bonsai.reports.model;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A distillation teacher as its students' records tell it: trained once (or loaded from a checkpoint) and shared by
 * the students.
 *
 * @param hash          the hash of its weights, which names it
 * @param source        its checkpoint, or else its model as recorded; {@code ?} when neither is
 * @param seed          the seed it was trained with; null when not recorded
 * @param recipes       the distillation recipes of its students, in order of first appearance
 * @param testAccuracy  its test accuracy, a fraction; NaN when not recorded
 * @param testErrors    its misclassified test samples (classifiers); NaN when not recorded
 * @param parameters    its number of parameters; NaN when not recorded
 */
public record Teacher(String hash, String source, String seed, Set<String> recipes, double testAccuracy,
        double testErrors, double parameters) {

    /** Copies the recipes, keeping their order. */
    public Teacher {
        recipes = Collections.unmodifiableSet(new LinkedHashSet<>(recipes));
    }
}
