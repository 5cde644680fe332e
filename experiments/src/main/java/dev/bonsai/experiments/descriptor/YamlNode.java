package dev.bonsai.experiments.descriptor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML value that remembers where it was written, so every error can name its line and column. */
public sealed interface YamlNode {

    /** Where the value starts. */
    Location location();

    /** A short description of the node's type for messages: "a mapping", "a list", "the number 1.5". */
    String describe();

    /**
     * A mapping; keys keep their order and locations.
     *
     * @param location where it starts
     * @param entries  its entries by key
     */
    record MapNode(Location location, Map<String, Entry> entries) implements YamlNode {
        /** Keeps the entries in order, unmodifiable. */
        public MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        /** The value at {@code key}, or null. */
        public YamlNode get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /**
     * One key of a mapping.
     *
     * @param keyLocation where the key is written
     * @param value       its value
     */
    record Entry(Location keyLocation, YamlNode value) {
    }

    /**
     * A sequence.
     *
     * @param location where it starts
     * @param items    its items
     */
    record ListNode(Location location, List<YamlNode> items) implements YamlNode {
        /** Copies the items. */
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar: a {@link String}, {@link Long}, {@link Double}, {@link Boolean}, or null.
     *
     * @param location where it is written
     * @param value    its value
     */
    record Scalar(Location location, Object value) implements YamlNode {
        @Override
        public String describe() {
            if (value == null) {
                return "null";
            }
            if (value instanceof String s) {
                return "the text '" + s + "'";
            }
            if (value instanceof Boolean b) {
                return "the boolean " + b;
            }
            return "the number " + value;
        }
    }
}
