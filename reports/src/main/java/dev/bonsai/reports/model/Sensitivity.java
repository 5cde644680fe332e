package dev.bonsai.reports.model;

import dev.bonsai.api.report.TrialRecord;
import java.util.Optional;

/**
 * How records of a sensitivity analysis (one layer pruned alone) are told apart: their scope names the layer, as
 * {@code layer fc1}. Rows and plot series then split by layer like any other scope.
 */
public final class Sensitivity {
    private static final String PREFIX = "layer ";

    private Sensitivity() {
    }

    /** The scope of a trial that prunes {@code layer} alone. */
    public static String scope(String layer) {
        return PREFIX + layer;
    }

    /** The layer a record pruned alone, if it is from a sensitivity analysis. */
    public static Optional<String> layer(TrialRecord r) {
        return r.scope() != null && r.scope().startsWith(PREFIX) ? Optional.of(r.scope().substring(PREFIX.length()))
                : Optional.empty();
    }
}
