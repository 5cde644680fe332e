package dev.bonsai.experiments.executor;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where an executor placed one trial: the executor's id, the engine device it was given (a GPU's address, such as
 * {@code cuda:1}, replacing the descriptor's {@code cuda}), and facts for the record's provenance (host, Spark
 * executor id, Slurm job id…). A trial's metrics never depend on it.
 *
 * @param executor   the executor's id
 * @param device     the device to use instead of the descriptor's, if the executor assigned one
 * @param provenance extra provenance entries, keys without spaces
 */
public record Placement(String executor, Optional<String> device, Map<String, String> provenance) {
    /** Copies the map, sorted. */
    public Placement {
        provenance = Map.copyOf(new TreeMap<>(provenance));
    }

    /** A trial run where the driver runs, on the descriptor's device. */
    public static Placement here(String executor) {
        return new Placement(executor, Optional.empty(), Map.of());
    }
}
