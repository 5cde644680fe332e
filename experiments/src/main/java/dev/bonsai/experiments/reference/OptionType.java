package dev.bonsai.experiments.reference;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.experiments.descriptor.Binder;
import dev.bonsai.experiments.descriptor.PluginSlot;
import dev.bonsai.experiments.descriptor.Variant;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.experiments.plugins.PluginRef;
import dev.bonsai.strategies.structure.GroupKind;
import dev.bonsai.strategies.structure.GroupKinds;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One key of a descriptor record, read from its record component: name, type, default, range, documentation,
 * and whether it names plugins.
 *
 * @param key         the snake_case key
 * @param type        the component's generic type
 * @param doc         its documentation, or empty
 * @param defaultYaml its default in YAML, if it has one
 * @param range       its allowed range, or null
 * @param plugins     the plugin kind it names, or null
 */
record OptionType(String key, Type type, String doc, Optional<String> defaultYaml, Range range, PluginKind plugins) {

    /** The keys of a record type, in declaration order. */
    static List<OptionType> of(Class<?> record) {
        List<OptionType> out = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            Doc doc = c.getAnnotation(Doc.class);
            DefaultValue def = c.getAnnotation(DefaultValue.class);
            PluginSlot slot = c.getAnnotation(PluginSlot.class);
            out.add(new OptionType(Binder.keyOf(c), c.getGenericType(), doc == null ? "" : doc.value(),
                    Optional.ofNullable(def).map(DefaultValue::value), c.getAnnotation(Range.class),
                    slot == null ? null : slot.value()));
        }
        return out;
    }

    /** Whether the key may be left out. */
    boolean optional() {
        return defaultYaml.isPresent() || raw(type) == Optional.class;
    }

    /** The raw class of a type. */
    static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    /** The element type of a {@code List<X>} or {@code Optional<X>}. */
    static Type argument(Type type) {
        return ((ParameterizedType) type).getActualTypeArguments()[0];
    }

    /** A short, human description of the type, for example {@code list of number}. */
    String describe() {
        return describe(type, plugins);
    }

    private static String describe(Type type, PluginKind plugins) {
        Class<?> raw = raw(type);
        if (raw == Optional.class) {
            return describe(argument(type), plugins);
        }
        if (raw == List.class) {
            String items = describe(argument(type), plugins);
            return raw(argument(type)) == PluginRef.class ? "one or a list of: " + items : "list of " + items;
        }
        if (raw == PluginRef.class) {
            return plugins.label() + " id, or {id: …, options}";
        }
        if (raw == Structure.class) {
            List<String> kinds = GroupKinds.all().stream().map(GroupKind::name).toList();
            return "unstructured, N:M (2:4 or {n: 2, m: 4}), " + String.join(", ", kinds.subList(0, kinds.size() - 1))
                    + " or " + kinds.get(kinds.size() - 1);
        }
        if (raw == String.class) {
            return "text";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "true or false";
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return "whole number";
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            return "number";
        }
        if (raw.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object c : raw.getEnumConstants()) {
                names.add(Binder.enumKey((Enum<?>) c));
            }
            return "one of " + String.join(", ", names);
        }
        if (raw.isSealed() && raw.isInterface()) {
            List<String> ids = new ArrayList<>();
            for (Class<?> sub : raw.getPermittedSubclasses()) {
                ids.add(sub.getAnnotation(Variant.class).value());
            }
            return "one of " + String.join(", ", ids) + " (an id, or {id: …, options})";
        }
        if (raw.isRecord()) {
            return raw.getRecordComponents().length == 0 ? "nothing" : "mapping";
        }
        return raw.getSimpleName();
    }
}
