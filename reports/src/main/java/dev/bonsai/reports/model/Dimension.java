package dev.bonsai.reports.model;

import dev.bonsai.api.report.TrialRecord;
import java.util.Objects;
import java.util.function.Function;

/** A field that tells configurations apart; table rows and plot series are split by them, in this order. */
public enum Dimension {
    /** The pruning strategy. */
    STRATEGY("strategy", TrialRecord::strategy),
    /**
     * The distillation recipe the student was trained with (the {@value #RECIPE_KEY} provenance entry), or
     * {@code none} for records without one.
     */
    RECIPE("recipe", r -> r.provenance().getOrDefault(Dimension.RECIPE_KEY, "none")),
    /** Layerwise or global. */
    SCOPE("scope", TrialRecord::scope),
    /** The sparsity structure. */
    STRUCTURE("structure", TrialRecord::structure),
    /** The pruning schedule. */
    SCHEDULE("schedule", TrialRecord::schedule),
    /** The model. */
    MODEL("model", TrialRecord::model),
    /** The dataset. */
    DATASET("dataset", TrialRecord::dataset),
    /** The compute engine. */
    ENGINE("engine", TrialRecord::engine),
    /** The device. */
    DEVICE("device", TrialRecord::device),
    /** The experiment. */
    EXPERIMENT("experiment", TrialRecord::experiment);

    /** The provenance entry that names a trial's distillation recipe. */
    public static final String RECIPE_KEY = "recipe";

    private final String header;
    private final Function<TrialRecord, String> value;

    Dimension(String header, Function<TrialRecord, String> value) {
        this.header = header;
        this.value = value;
    }

    /** The column header, as in {@code results.jsonl}. */
    public String header() {
        return header;
    }

    /** The record's value; empty when absent. */
    public String of(TrialRecord r) {
        return Objects.toString(value.apply(r), "");
    }
}
