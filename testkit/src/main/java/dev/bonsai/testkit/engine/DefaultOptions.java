package dev.bonsai.testkit.engine;

import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.options.DefaultValue;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Locale;

/**
 * Makes an options record from its {@link DefaultValue}s, for options of scalar types (numbers, booleans, strings,
 * enums). Engines with other options override {@link EngineContract#createRuntime()}.
 */
final class DefaultOptions {
    private DefaultOptions() {
    }

    /** {@code engine.create} with default options. */
    static <O extends Record> EngineRuntime create(ComputeEngine<O> engine) {
        return engine.create(of(engine.optionsType()));
    }

    /** The record with every component at its default. */
    static <O extends Record> O of(Class<O> type) {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            DefaultValue d = c.getAnnotation(DefaultValue.class);
            if (d == null) {
                throw new IllegalStateException("option '" + c.getName() + "' of " + type.getName()
                        + " has no default: override EngineContract.createRuntime()");
            }
            values[i] = parse(c.getType(), d.value(), type, c.getName());
        }
        try {
            Constructor<O> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot construct " + type.getName() + ": " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the defaults of " + type.getName() + " are rejected: " + e.getCause(),
                    e.getCause());
        }
    }

    private static Object parse(Class<?> t, String text, Class<?> owner, String name) {
        String v = text.trim();
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            v = v.substring(1, v.length() - 1);
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
            throw new IllegalStateException("default '" + text + "' of option '" + name + "' is not a " + t.getName());
        }
        throw new IllegalStateException("option '" + name + "' of " + owner.getName() + " has type "
                + t.getName().toLowerCase(Locale.ROOT) + ", which the test kit cannot default: override"
                + " EngineContract.createRuntime()");
    }
}
