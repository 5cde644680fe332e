package dev.bonsai.strategies.structure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pruning groups of one kind in a model.
 *
 * @param layers   the groups of each layer whose units can be pruned, by layer, in model order
 * @param excluded the layers of that kind whose units cannot be pruned, with the reason, in model order
 * @param refused  layers whose units can be selected but whose removal is refused, with the message compaction
 *                 gives when one of their units is pruned
 */
public record GroupLayout(Map<String, List<PruningGroup>> layers, Map<String, String> excluded,
        Map<String, String> refused) {
    /** Copies the maps, keeping their order. */
    public GroupLayout {
        Map<String, List<PruningGroup>> copy = new LinkedHashMap<>();
        layers.forEach((name, groups) -> copy.put(name, List.copyOf(groups)));
        layers = Collections.unmodifiableMap(copy);
        excluded = Collections.unmodifiableMap(new LinkedHashMap<>(excluded));
        refused = Collections.unmodifiableMap(new LinkedHashMap<>(refused));
    }
}
