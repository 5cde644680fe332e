package dev.bonsai.reports.model;

import java.util.List;

/**
 * A table with one row per configuration (the values of the row {@link Dimension dimensions}) and one column per
 * target sparsity; what a cell holds depends on the table.
 *
 * @param dimensions   the row dimensions, one label column each
 * @param sparsities   the target sparsities of the columns, ascending
 * @param rows         the rows, in the order of {@link Grouping#keys}
 * @param repeatsSeeds whether some cell counts more than one trial of one seed: configurations the records do not
 *                     tell apart (for example one strategy with different options), so that n counts trials
 * @param <C>          the cell type
 */
public record ConfigurationTable<C>(List<Dimension> dimensions, List<Double> sparsities, List<Row<C>> rows,
        boolean repeatsSeeds) {

    /** Copies the lists. */
    public ConfigurationTable {
        dimensions = List.copyOf(dimensions);
        sparsities = List.copyOf(sparsities);
        rows = List.copyOf(rows);
    }

    /**
     * One configuration.
     *
     * @param key   its values of the row dimensions; empty where a record has none
     * @param cells one per column of {@link ConfigurationTable#sparsities()}
     * @param <C>   the cell type
     */
    public record Row<C>(List<String> key, List<C> cells) {
        /** Copies the lists. */
        public Row {
            key = List.copyOf(key);
            cells = List.copyOf(cells);
        }
    }
}
