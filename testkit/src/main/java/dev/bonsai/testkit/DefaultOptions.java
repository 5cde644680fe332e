package dev.bonsai.testkit;

import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.options.DefaultValue;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Makes an options record from its {@link DefaultValue}s, as the host binds an empty options map: scalars (numbers,
 * booleans, strings, enums written in kebab-case), lists of scalars ({@code "[300, 100]"}), nested records of
 * defaults ({@code "{}"}), and {@link Optional} components (empty when they have no default). A component without a
 * default is required, and the record cannot be made without it: give the options explicitly then, by overriding
 * the contract's {@code options()} (or {@code createRuntime()} for an engine).
 */
public final class DefaultOptions {
    private DefaultOptions() {
    }

    /** Loads {@code engine} with every option at its default. */
    public static <O extends Record> EngineRuntime create(ComputeEngine<O> engine) {
        return engine.create(defaults(engine.optionsType()));
    }

    /**
     * The record with every component at its default.
     *
     * @throws IllegalStateException naming the component that has no default, or whose default does not parse or is
     *                               rejected by the record
     */
    public static <O extends Record> O defaults(Class<O> type) {
        RecordComponent[] components = type.getRecordComponents();
        if (components == null) {
            throw new IllegalStateException(type.getName() + " is not a record");
        }
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            DefaultValue d = c.getAnnotation(DefaultValue.class);
            if (d == null) {
                if (c.getType() == Optional.class) {
                    values[i] = Optional.empty();
                    continue;
                }
                throw new IllegalStateException("option '" + c.getName() + "' of " + type.getName()
                        + " has no @DefaultValue, so it is required: give the options explicitly");
            }
            values[i] = parse(c.getGenericType(), d.value(), type, c.getName());
        }
        try {
            Constructor<O> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot construct " + type.getName() + ": " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the defaults of " + type.getName() + " are rejected by its constructor: "
                    + e.getCause(), e.getCause());
        }
    }

    private static Object parse(Type type, String text, Class<?> owner, String name) {
        String v = unquote(text.trim());
        if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
            return Optional.of(parse(p.getActualTypeArguments()[0], text, owner, name));
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            if (!v.startsWith("[") || !v.endsWith("]")) {
                throw new IllegalStateException("default '" + text + "' of option '" + name + "' of "
                        + owner.getName() + " is not a list such as [1, 2]");
            }
            List<Object> out = new ArrayList<>();
            String inner = v.substring(1, v.length() - 1).trim();
            if (!inner.isEmpty()) {
                for (String item : inner.split(",")) {
                    out.add(parse(p.getActualTypeArguments()[0], item, owner, name));
                }
            }
            return List.copyOf(out);
        }
        if (!(type instanceof Class<?> t)) {
            throw new IllegalStateException("option '" + name + "' of " + owner.getName() + " has type " + type
                    + ", which the test kit cannot default: override PruningStrategyContract.options()");
        }
        if (t == int.class || t == Integer.class) {
            return Integer.valueOf(v);
        } else if (t == long.class || t == Long.class) {
            return Long.valueOf(v);
        } else if (t == double.class || t == Double.class) {
            return Double.valueOf(v);
        } else if (t == float.class || t == Float.class) {
            return Float.valueOf(v);
        } else if (t == boolean.class || t == Boolean.class) {
            return Boolean.valueOf(v);
        } else if (t == String.class) {
            return v;
        } else if (t.isEnum()) {
            for (Object constant : t.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(v.replace('-', '_'))) {
                    return constant;
                }
            }
            throw new IllegalStateException("default '" + text + "' of option '" + name + "' of " + owner.getName()
                    + " is not a " + t.getSimpleName());
        } else if (t.isRecord() && v.equals("{}")) {
            return defaults(t.asSubclass(Record.class));
        }
        throw new IllegalStateException("option '" + name + "' of " + owner.getName() + " has type "
                + t.getName().toLowerCase(Locale.ROOT) + ", which the test kit cannot default: override"
                + " PruningStrategyContract.options()");
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
