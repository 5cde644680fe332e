package dev.bonsai.experiments.descriptor;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Range;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.experiments.plugins.PluginRef;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Binds {@link YamlNode}s to typed records, collecting every problem with its location instead of stopping at the
 * first.
 *
 * <p>Record components map to snake_case keys ({@code weightDecay} ↔ {@code weight_decay}); a missing key takes
 * the component's {@link DefaultValue}, is {@link Optional#empty()} for an {@code Optional}, or is an error;
 * unknown keys are errors with a "did you mean"; {@link Range} is checked on numbers and on each number of a list;
 * a sealed interface whose records carry {@link Variant} is chosen by {@code id}; {@link PluginRef} components are
 * resolved by the {@link PluginResolver}; other types may have a {@link Converter}.
 */
public final class Binder {

    /** Converts a node to a value of one type, reporting problems to the binder. */
    @FunctionalInterface
    public interface Converter {
        /** The value, or null after reporting a problem. */
        Object convert(YamlNode node, String path, Binder binder);
    }

    /** Resolves plugin references. */
    @FunctionalInterface
    public interface PluginResolver {
        /** The resolved reference, or null after reporting a problem. */
        PluginRef resolve(PluginKind kind, YamlNode node, String path, Binder binder);
    }

    private final List<Problem> problems;
    private final Map<Class<?>, Converter> converters = new HashMap<>();
    private final PluginResolver plugins;

    /**
     * A binder.
     *
     * @param problems receives every problem found
     * @param plugins  resolves {@link PluginRef} components
     */
    public Binder(List<Problem> problems, PluginResolver plugins) {
        this.problems = problems;
        this.plugins = plugins;
    }

    /** Registers a converter for {@code type}. */
    public Binder with(Class<?> type, Converter converter) {
        converters.put(type, converter);
        return this;
    }

    /** Records a problem. */
    public void problem(YamlNode node, String path, String message) {
        problems.add(new Problem(node == null ? Location.NONE : node.location(), path.isEmpty() ? "(top)" : path, message));
    }

    /** Records a problem at an explicit location. */
    public void problem(Location location, String path, String message) {
        problems.add(new Problem(location, path.isEmpty() ? "(top)" : path, message));
    }

    /** Binds {@code node} to {@code type}; null when a problem was recorded. */
    public <T> T bind(YamlNode node, Class<T> type, String path) {
        return type.cast(bind(node, type, path, null, null));
    }

    /**
     * Binds the entries of {@code map} whose keys are components of {@code type}, ignoring the rest (they belong
     * to someone else: a plugin's host settings beside its options).
     */
    public <T extends Record> T bindSubset(YamlNode.MapNode map, Class<T> type, String path) {
        Map<String, YamlNode.Entry> mine = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            YamlNode.Entry e = map.entries().get(keyOf(c));
            if (e != null) {
                mine.put(keyOf(c), e);
            }
        }
        return type.cast(bindRecord(new YamlNode.MapNode(map.location(), mine), type, path));
    }

    /**
     * The value a missing key takes: the component's {@link DefaultValue} bound as the descriptor would bind it,
     * or null after reporting a problem (a default naming a plugin the resolver does not know).
     *
     * @throws IllegalArgumentException when the component has no {@link DefaultValue}
     */
    public Object bindDefault(Class<?> owner, RecordComponent c) {
        DefaultValue def = c.getAnnotation(DefaultValue.class);
        if (def == null) {
            throw new IllegalArgumentException(owner.getName() + "." + c.getName() + " has no @DefaultValue");
        }
        PluginSlot slot = c.getAnnotation(PluginSlot.class);
        return bind(parseDefault(def.value(), owner, c), c.getGenericType(), keyOf(c), c.getAnnotation(Range.class),
                slot == null ? null : slot.value());
    }

    /** The descriptor key of a record component: its name in snake_case. */
    public static String keyOf(RecordComponent c) {
        return snake(c.getName());
    }

    /** camelCase to snake_case. */
    public static String snake(String name) {
        StringBuilder b = new StringBuilder();
        for (char ch : name.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                b.append('_').append(Character.toLowerCase(ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    private Object bind(YamlNode node, Type type, String path, Range range, PluginKind kind) {
        Class<?> raw = rawClass(type);
        if (raw == PluginRef.class) {
            if (kind == null) {
                throw new IllegalStateException(path + ": a PluginRef component needs @PluginSlot");
            }
            return plugins.resolve(kind, node, path, this);
        }
        if (raw == Optional.class) {
            if (node instanceof YamlNode.Scalar s && s.value() == null) {
                return Optional.empty();
            }
            Object v = bind(node, typeArgument(type), path, range, kind);
            return v == null ? null : Optional.of(v);
        }
        if (raw == List.class) {
            if (kind != null && !(node instanceof YamlNode.ListNode)) {
                // a list of plugins may name just one: "report: markdown", "engine: djl"
                Object one = bind(node, typeArgument(type), path, range, kind);
                return one == null ? null : List.of(one);
            }
            if (!(node instanceof YamlNode.ListNode list)) {
                problem(node, path, "expected a list, got " + node.describe());
                return null;
            }
            List<Object> out = new ArrayList<>();
            boolean ok = true;
            for (int i = 0; i < list.items().size(); i++) {
                Object v = bind(list.items().get(i), typeArgument(type), path + "[" + i + "]", range, kind);
                ok &= v != null;
                out.add(v);
            }
            return ok ? List.copyOf(out) : null;
        }
        Converter converter = converters.get(raw);
        if (converter != null) {
            return converter.convert(node, path, this);
        }
        if (raw.isRecord()) {
            return bindRecord(node, raw, path);
        }
        if (raw.isSealed() && raw.isInterface()) {
            return bindVariant(node, raw, path);
        }
        if (raw.isEnum()) {
            return bindEnum(node, raw, path);
        }
        return bindScalar(node, raw, path, range);
    }

    private Object bindRecord(YamlNode node, Class<?> type, String path) {
        if (!(node instanceof YamlNode.MapNode map)) {
            if (node instanceof YamlNode.Scalar s && s.value() == null && type.getRecordComponents().length == 0) {
                return construct(type, new Object[0], node, path);
            }
            problem(node, path, "expected a mapping of " + keysOf(type) + ", got " + node.describe());
            return null;
        }
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        boolean ok = true;
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String key = keyOf(c);
            String childPath = path.isEmpty() ? key : path + "." + key;
            YamlNode value = map.get(key);
            if (value == null) {
                DefaultValue def = c.getAnnotation(DefaultValue.class);
                if (def != null) {
                    value = parseDefault(def.value(), type, c);
                } else if (c.getType() == Optional.class) {
                    args[i] = Optional.empty();
                    continue;
                } else {
                    problem(map, childPath, "missing required key '" + key + "'" + docOf(c));
                    ok = false;
                    continue;
                }
            }
            PluginSlot slot = c.getAnnotation(PluginSlot.class);
            args[i] = bind(value, c.getGenericType(), childPath, c.getAnnotation(Range.class),
                    slot == null ? null : slot.value());
            ok &= args[i] != null;
        }
        List<String> known = new ArrayList<>();
        for (RecordComponent c : components) {
            known.add(keyOf(c));
        }
        for (Map.Entry<String, YamlNode.Entry> e : map.entries().entrySet()) {
            if (!known.contains(e.getKey())) {
                String childPath = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                problem(e.getValue().keyLocation(), childPath, "unknown key '" + e.getKey() + "'"
                        + Suggestions.didYouMean(e.getKey(), known) + " (allowed: " + String.join(", ", known) + ")");
                ok = false;
            }
        }
        return ok ? construct(type, args, node, path) : null;
    }

    private Object construct(Class<?> type, Object[] args, YamlNode node, String path) {
        try {
            Class<?>[] types = new Class<?>[args.length];
            RecordComponent[] components = type.getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
            }
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof dev.bonsai.api.BonsaiException) {
                problem(node, path, cause.getMessage());
                return null;
            }
            throw new IllegalStateException("cannot create " + type.getName() + " for " + path, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + type.getName() + " for " + path, e);
        }
    }

    private Object bindVariant(YamlNode node, Class<?> type, String path) {
        Map<String, Class<?>> variants = new LinkedHashMap<>();
        for (Class<?> sub : type.getPermittedSubclasses()) {
            Variant v = sub.getAnnotation(Variant.class);
            if (v == null) {
                throw new IllegalStateException(sub.getName() + " needs @Variant to be bound from a descriptor");
            }
            variants.put(v.value(), sub);
        }
        String id;
        YamlNode.MapNode rest;
        if (node instanceof YamlNode.Scalar s && s.value() instanceof String text) {
            id = text;
            rest = new YamlNode.MapNode(node.location(), Map.of());
        } else if (node instanceof YamlNode.MapNode map) {
            YamlNode idNode = map.get("id");
            if (!(idNode instanceof YamlNode.Scalar s) || !(s.value() instanceof String text)) {
                problem(node, path, "needs an 'id', one of " + String.join(", ", variants.keySet()));
                return null;
            }
            id = text;
            Map<String, YamlNode.Entry> others = new LinkedHashMap<>(map.entries());
            others.remove("id");
            rest = new YamlNode.MapNode(map.location(), others);
        } else {
            problem(node, path, "expected one of " + String.join(", ", variants.keySet()) + ", got " + node.describe());
            return null;
        }
        Class<?> chosen = variants.get(id);
        if (chosen == null) {
            problem(node, path, "unknown id '" + id + "'" + Suggestions.didYouMean(id, variants.keySet())
                    + " (known: " + String.join(", ", variants.keySet()) + ")");
            return null;
        }
        return bindRecord(rest, chosen, path);
    }

    private Object bindEnum(YamlNode node, Class<?> type, String path) {
        List<String> names = new ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            names.add(enumKey((Enum<?>) constant));
        }
        if (node instanceof YamlNode.Scalar s && s.value() instanceof String text) {
            String wanted = text.toLowerCase(Locale.ROOT).replace('_', '-');
            for (Object constant : type.getEnumConstants()) {
                if (enumKey((Enum<?>) constant).equals(wanted)) {
                    return constant;
                }
            }
            problem(node, path, "unknown value '" + text + "'" + Suggestions.didYouMean(wanted, names)
                    + " (allowed: " + String.join(", ", names) + ")");
            return null;
        }
        problem(node, path, "expected one of " + String.join(", ", names) + ", got " + node.describe());
        return null;
    }

    /** An enum constant as written in descriptors: lower-case, kebab-case. */
    public static String enumKey(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private Object bindScalar(YamlNode node, Class<?> type, String path, Range range) {
        Object value = node instanceof YamlNode.Scalar s ? s.value() : null;
        if (type == String.class) {
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                return value.toString();
            }
        } else if (type == boolean.class || type == Boolean.class) {
            if (value instanceof Boolean b) {
                return b;
            }
        } else if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            if (value instanceof Long l) {
                if ((type == int.class || type == Integer.class) && (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE)) {
                    problem(node, path, l + " is too large");
                    return null;
                }
                if (!inRange(l, range, node, path)) {
                    return null;
                }
                return type == int.class || type == Integer.class ? (Object) l.intValue() : (Object) l;
            }
            if (value instanceof Double d) {
                problem(node, path, "expected a whole number, got " + d);
                return null;
            }
        } else if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            if (value instanceof Number n) {
                double d = n.doubleValue();
                if (!inRange(d, range, node, path)) {
                    return null;
                }
                return type == float.class || type == Float.class ? (Object) (float) d : (Object) d;
            }
        } else {
            throw new IllegalStateException("no binding for " + type.getName() + " at " + path);
        }
        problem(node, path, "expected " + article(type) + ", got " + node.describe());
        return null;
    }

    private boolean inRange(double v, Range range, YamlNode node, String path) {
        if (range == null) {
            return true;
        }
        boolean lowOk = range.minExclusive() ? v > range.min() : v >= range.min();
        boolean highOk = range.maxExclusive() ? v < range.max() : v <= range.max();
        if (lowOk && highOk && !Double.isNaN(v)) {
            return true;
        }
        problem(node, path, format(v) + " is out of range: must be " + describe(range));
        return false;
    }

    /** A range as a phrase, for example {@code in [0, 1)} or {@code ≥ 1}. */
    public static String describe(Range r) {
        boolean hasMin = r.min() != Double.NEGATIVE_INFINITY;
        boolean hasMax = r.max() != Double.POSITIVE_INFINITY;
        if (hasMin && hasMax) {
            return (r.minExclusive() ? "in (" : "in [") + format(r.min()) + ", " + format(r.max()) + (r.maxExclusive() ? ")" : "]");
        }
        if (hasMin) {
            return (r.minExclusive() ? "> " : "≥ ") + format(r.min());
        }
        return (r.maxExclusive() ? "< " : "≤ ") + format(r.max());
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String article(Class<?> type) {
        if (type == String.class) {
            return "text";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        return "a number";
    }

    private YamlNode parseDefault(String yaml, Class<?> owner, RecordComponent c) {
        List<Problem> local = new ArrayList<>();
        YamlNode node = YamlReader.parse(yaml, local);
        if (node == null || !local.isEmpty()) {
            throw new IllegalStateException("bad @DefaultValue(\"" + yaml + "\") on " + owner.getName() + "." + c.getName());
        }
        return withoutLocation(node);
    }

    private static YamlNode withoutLocation(YamlNode node) {
        if (node instanceof YamlNode.MapNode m) {
            Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> entries.put(k, new YamlNode.Entry(Location.NONE, withoutLocation(e.value()))));
            return new YamlNode.MapNode(Location.NONE, entries);
        }
        if (node instanceof YamlNode.ListNode l) {
            return new YamlNode.ListNode(Location.NONE, l.items().stream().map(Binder::withoutLocation).toList());
        }
        return new YamlNode.Scalar(Location.NONE, ((YamlNode.Scalar) node).value());
    }

    private static String docOf(RecordComponent c) {
        dev.bonsai.api.options.Doc doc = c.getAnnotation(dev.bonsai.api.options.Doc.class);
        return doc == null ? "" : " (" + doc.value() + ")";
    }

    private static String keysOf(Class<?> type) {
        List<String> keys = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            keys.add(keyOf(c));
        }
        return keys.isEmpty() ? "nothing" : String.join(", ", keys);
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unsupported type " + type);
    }

    private static Type typeArgument(Type type) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[0];
        }
        throw new IllegalStateException("raw generic type " + type);
    }
}
