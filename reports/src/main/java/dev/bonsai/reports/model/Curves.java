package dev.bonsai.reports.model;

import dev.bonsai.api.report.TrialRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Training curves in a record's metrics: one value per epoch under {@code <curve>.<epoch>}, epochs counted from 1,
 * for example {@code dense_train_loss.1}, {@code dense_train_loss.2}, … and {@code finetune_loss.1}, … (fine-tuning
 * epochs counted on across pruning rounds).
 */
public final class Curves {
    /** The dense model's mean training loss per epoch. */
    public static final String DENSE_TRAIN_LOSS = "dense_train_loss";
    /** The pruned model's mean training loss per fine-tuning epoch, across all rounds. */
    public static final String FINETUNE_LOSS = "finetune_loss";

    private Curves() {
    }

    /** Puts {@code values} into {@code metrics} as the curve {@code name}. */
    public static void put(Map<String, Double> metrics, String name, List<Double> values) {
        for (int i = 0; i < values.size(); i++) {
            metrics.put(name + "." + (i + 1), values.get(i));
        }
    }

    /** The curve {@code name} of {@code r}: its values for epochs 1, 2, … up to the first one missing. */
    public static List<Double> of(TrialRecord r, String name) {
        List<Double> out = new ArrayList<>();
        for (int epoch = 1; r.metrics().containsKey(name + "." + epoch); epoch++) {
            out.add(r.metrics().get(name + "." + epoch));
        }
        return out;
    }
}
