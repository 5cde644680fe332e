package dev.bonsai.experiments.descriptor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line overrides of descriptor values: {@code train.epochs=1} or {@code engine={id: djl, device: cpu}},
 * the value in YAML syntax. Intermediate mappings are created as needed; list items are not addressable.
 */
public final class Overrides {
    private Overrides() {
    }

    /** {@code root} with {@code assignment} applied, or {@code root} unchanged after recording a problem. */
    public static YamlNode apply(YamlNode root, String assignment, List<Problem> problems) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            problems.add(new Problem(Location.NONE, "--set " + assignment, "expected KEY.PATH=VALUE"));
            return root;
        }
        String[] keys = assignment.substring(0, eq).trim().split("\\.");
        List<Problem> local = new java.util.ArrayList<>();
        YamlNode value = YamlReader.parse(assignment.substring(eq + 1), local);
        if (value == null) {
            value = new YamlNode.Scalar(Location.NONE, null);
        }
        if (!local.isEmpty()) {
            problems.add(new Problem(Location.NONE, "--set " + assignment, "the value is not valid YAML"));
            return root;
        }
        if (!(root instanceof YamlNode.MapNode map)) {
            problems.add(new Problem(Location.NONE, "--set " + assignment, "the descriptor is not a mapping"));
            return root;
        }
        return set(map, keys, 0, relocate(value, Location.NONE));
    }

    private static YamlNode.MapNode set(YamlNode.MapNode map, String[] keys, int i, YamlNode value) {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>(map.entries());
        YamlNode.Entry old = entries.get(keys[i]);
        Location at = old == null ? map.location() : old.keyLocation();
        YamlNode replacement;
        if (i == keys.length - 1) {
            replacement = value;
        } else {
            YamlNode.MapNode child = old != null && old.value() instanceof YamlNode.MapNode m ? m
                    : new YamlNode.MapNode(at, Map.of());
            replacement = set(child, keys, i + 1, value);
        }
        entries.put(keys[i], new YamlNode.Entry(at, replacement));
        return new YamlNode.MapNode(map.location(), entries);
    }

    private static YamlNode relocate(YamlNode node, Location at) {
        if (node instanceof YamlNode.MapNode m) {
            Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> entries.put(k, new YamlNode.Entry(at, relocate(e.value(), at))));
            return new YamlNode.MapNode(at, entries);
        }
        if (node instanceof YamlNode.ListNode l) {
            return new YamlNode.ListNode(at, l.items().stream().map(x -> relocate(x, at)).toList());
        }
        return new YamlNode.Scalar(at, ((YamlNode.Scalar) node).value());
    }
}
