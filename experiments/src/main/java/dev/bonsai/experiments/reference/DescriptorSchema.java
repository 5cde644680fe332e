package dev.bonsai.experiments.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Plugin;
import dev.bonsai.api.options.Range;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.experiments.descriptor.Binder;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.descriptor.Variant;
import dev.bonsai.experiments.plugins.DatasetSettings;
import dev.bonsai.experiments.plugins.EngineSettings;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.experiments.plugins.PluginRef;
import dev.bonsai.experiments.plugins.PluginRegistry;
import dev.bonsai.strategies.structure.GroupKind;
import dev.bonsai.strategies.structure.GroupKinds;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A JSON Schema (draft 2020-12) of descriptors, for editors' YAML completion and checking: every key of every
 * section and of every installed plugin's options, with types, defaults, ranges and documentation.
 */
public final class DescriptorSchema {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private final PluginRegistry registry;
    private final Predicate<Plugin<?>> include;

    private DescriptorSchema(PluginRegistry registry, Predicate<Plugin<?>> include) {
        this.registry = registry;
        this.include = include;
    }

    /** The schema for the plugins of {@code registry} that {@code include} accepts, as pretty JSON. */
    public static String json(PluginRegistry registry, Predicate<Plugin<?>> include) {
        ObjectNode root = new DescriptorSchema(registry, include).record(ExperimentDescriptor.class);
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("title", "Bonsai experiment descriptor");
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode record(Class<?> type) {
        ObjectNode node = JSON.createObjectNode().put("type", "object").put("additionalProperties", false);
        ObjectNode properties = node.putObject("properties");
        ArrayNode required = JSON.createArrayNode();
        for (OptionType o : OptionType.of(type)) {
            properties.set(o.key(), key(o));
            if (!o.optional()) {
                required.add(o.key());
            }
        }
        if (!required.isEmpty()) {
            node.set("required", required);
        }
        return node;
    }

    private ObjectNode key(OptionType o) {
        ObjectNode node = type(o.type(), o.plugins(), o.range());
        if (!o.doc().isEmpty()) {
            node.put("description", o.doc());
        }
        o.defaultYaml().ifPresent(d -> node.set("default", yaml(d)));
        return node;
    }

    private ObjectNode type(Type type, PluginKind plugins, Range range) {
        Class<?> raw = OptionType.raw(type);
        ObjectNode node = JSON.createObjectNode();
        if (raw == Optional.class) {
            return type(OptionType.argument(type), plugins, range);
        }
        if (raw == List.class) {
            ObjectNode items = type(OptionType.argument(type), plugins, range);
            node.put("type", "array").set("items", items);
            if (OptionType.raw(OptionType.argument(type)) == PluginRef.class) { // a plugin list may name just one
                return JSON.createObjectNode().set("anyOf", JSON.createArrayNode().add(items.deepCopy()).add(node));
            }
            return node;
        }
        if (raw == PluginRef.class) {
            return plugins(plugins);
        }
        if (raw == Structure.class) {
            ObjectNode nm = JSON.createObjectNode().put("type", "object").put("additionalProperties", false);
            nm.putObject("properties").<ObjectNode>set("n", JSON.createObjectNode().put("type", "integer"))
                    .set("m", JSON.createObjectNode().put("type", "integer"));
            nm.putArray("required").add("n").add("m");
            node.putArray("anyOf").add(JSON.createObjectNode().put("type", "string")
                    .put("pattern", "^(unstructured|" + String.join("|", GroupKinds.all().stream().map(GroupKind::name)
                            .toList()) + "|[0-9]+ *: *[0-9]+)$")).add(nm);
            return node;
        }
        if (raw == String.class) {
            return node.put("type", "string");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return node.put("type", "boolean");
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class
                || raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            boolean whole = raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class;
            node.put("type", whole ? "integer" : "number");
            if (range != null) {
                if (range.min() != Double.NEGATIVE_INFINITY) {
                    node.put(range.minExclusive() ? "exclusiveMinimum" : "minimum", range.min());
                }
                if (range.max() != Double.POSITIVE_INFINITY) {
                    node.put(range.maxExclusive() ? "exclusiveMaximum" : "maximum", range.max());
                }
            }
            return node;
        }
        if (raw.isEnum()) {
            ArrayNode values = node.putArray("enum");
            for (Object c : raw.getEnumConstants()) {
                values.add(Binder.enumKey((Enum<?>) c));
            }
            return node;
        }
        if (raw.isSealed() && raw.isInterface()) {
            ArrayNode any = node.putArray("anyOf");
            ArrayNode ids = JSON.createArrayNode();
            for (Class<?> sub : raw.getPermittedSubclasses()) {
                String id = sub.getAnnotation(Variant.class).value();
                ids.add(id);
                any.add(withId(record(sub), id));
            }
            any.insert(0, JSON.createObjectNode().set("enum", ids));
            return node;
        }
        if (raw.isRecord()) {
            return record(raw);
        }
        throw new IllegalStateException("no schema for " + type);
    }

    /** A plugin slot: an id alone, or a mapping of the id, its options and the kind's host keys. */
    private ObjectNode plugins(PluginKind kind) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode any = node.putArray("anyOf");
        ArrayNode ids = JSON.createArrayNode();
        for (Plugin<?> p : registry.of(kind).values()) {
            if (!include.test(p)) {
                continue;
            }
            ids.add(p.id());
            new TreeSet<>(p.aliases()).forEach(ids::add);
            ObjectNode options = p.optionsType() == NoOptions.class ? record(NoOptions.class) : record(p.optionsType());
            Class<? extends Record> host = kind == PluginKind.ENGINE ? EngineSettings.class
                    : kind == PluginKind.DATASET ? DatasetSettings.class : null;
            if (host != null) {
                ((ObjectNode) options.get("properties")).setAll((ObjectNode) record(host).get("properties"));
            }
            any.add(withId(options, p));
        }
        if (kind == PluginKind.ENGINE) {
            registry.knownDevices().forEach(ids::add);
        }
        any.insert(0, JSON.createObjectNode().set("enum", ids));
        return node;
    }

    /** A plugin's options with its id, or one of its aliases. */
    private static ObjectNode withId(ObjectNode record, Plugin<?> plugin) {
        if (plugin.aliases().isEmpty()) {
            return withId(record, plugin.id());
        }
        ObjectNode names = JSON.createObjectNode();
        names.putArray("enum").add(plugin.id());
        new TreeSet<>(plugin.aliases()).forEach(((ArrayNode) names.get("enum"))::add);
        return withId(record, names);
    }

    private static ObjectNode withId(ObjectNode record, String id) {
        return withId(record, JSON.createObjectNode().put("const", id));
    }

    private static ObjectNode withId(ObjectNode record, ObjectNode id) {
        ObjectNode properties = (ObjectNode) record.get("properties");
        ObjectNode copy = JSON.createObjectNode();
        copy.set("id", id);
        copy.setAll(properties);
        record.set("properties", copy);
        ArrayNode required = record.has("required") ? (ArrayNode) record.get("required") : record.putArray("required");
        required.insert(0, "id");
        return record;
    }

    private static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad default " + text, e);
        }
    }
}
