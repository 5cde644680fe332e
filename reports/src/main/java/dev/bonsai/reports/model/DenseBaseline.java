package dev.bonsai.reports.model;

import dev.bonsai.reports.stats.Summary;
import java.util.List;

/**
 * The trained dense models: one row per model, dataset, engine and device (and experiment or distillation recipe
 * where the records hold several), each value first averaged per seed, then summarised over the seeds.
 *
 * @param dimensions what tells the rows apart
 * @param rows       the rows, in order of first appearance
 */
public record DenseBaseline(List<Dimension> dimensions, List<Row> rows) {

    /** Copies the lists. */
    public DenseBaseline {
        dimensions = List.copyOf(dimensions);
        rows = List.copyOf(rows);
    }

    /**
     * One dense configuration.
     *
     * @param key           its values of {@link DenseBaseline#dimensions()}
     * @param accuracy      the dense test accuracy in %, over seeds
     * @param trainSeconds  the seconds of dense training, over seeds; {@code n = 0} when not recorded
     * @param inference     the test-set inference throughput in samples per second, over seeds; {@code n = 0} when
     *                      not recorded
     */
    public record Row(List<String> key, Summary accuracy, Summary trainSeconds, Summary inference) {
        /** Copies the key. */
        public Row {
            key = List.copyOf(key);
        }
    }
}
