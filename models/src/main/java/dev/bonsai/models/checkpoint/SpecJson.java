package dev.bonsai.models.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link ModelSpec} as JSON, and back: {@code {"name": ..., "input": [T], "layers": [{"type": "Dense", "name":
 * "fc1", "units": 300, "bias": true}, ...]}}. Each layer is its {@link LayerSpec} record: {@code type} is the
 * record's simple name and the other keys are its components (numbers, booleans, strings, enum constants by name,
 * nested layer lists, and nested layers such as a decoder block's attention), so a layer kind added to the API is written and read without changes here.
 */
public final class SpecJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Class<?>> LAYER_TYPES = new LinkedHashMap<>();

    static {
        for (Class<?> type : LayerSpec.class.getPermittedSubclasses()) {
            LAYER_TYPES.put(type.getSimpleName(), type);
        }
    }

    private SpecJson() {
    }

    /** The spec as a JSON tree. */
    public static ObjectNode toJson(ModelSpec spec) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", spec.name());
        ArrayNode input = root.putArray("input");
        for (int d : spec.inputShape().dims()) {
            input.add(d);
        }
        root.set("layers", layers(spec.layers()));
        return root;
    }

    /** The spec as compact JSON text. */
    public static String write(ModelSpec spec) {
        return toJson(spec).toString();
    }

    /**
     * The spec a JSON text describes.
     *
     * @throws IllegalArgumentException saying what is malformed: not JSON, an unknown layer type, a missing or
     *                                  mistyped component, or layers that do not fit together
     */
    public static ModelSpec read(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the model spec is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("name").isTextual() || !root.path("input").isArray()
                || !root.path("layers").isArray()) {
            throw new IllegalArgumentException("the model spec needs 'name' (text), 'input' (a shape) and 'layers'");
        }
        JsonNode input = root.get("input");
        int[] dims = new int[input.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = intValue(input.get(i), "input[" + i + "]");
        }
        return new ModelSpec(root.get("name").asText(), Shape.of(dims), readLayers(root.get("layers"), "layers"));
    }

    /**
     * The first difference between two specs' layers and input shape (their display names aside), or an empty
     * string when they are the same model.
     */
    public static String difference(ModelSpec actual, ModelSpec expected) {
        if (!actual.inputShape().equals(expected.inputShape())) {
            return "its input is " + actual.inputShape() + ", expected " + expected.inputShape();
        }
        List<LayerSpec> a = actual.layers();
        List<LayerSpec> e = expected.layers();
        for (int i = 0; i < Math.min(a.size(), e.size()); i++) {
            if (!a.get(i).equals(e.get(i))) {
                return "layer " + (i + 1) + " is " + describe(a.get(i)) + ", expected " + describe(e.get(i));
            }
        }
        if (a.size() != e.size()) {
            return "it has " + a.size() + " layers, expected " + e.size();
        }
        return "";
    }

    /** A layer as one line of JSON, for messages. */
    public static String describe(LayerSpec layer) {
        return layer(layer).toString();
    }

    private static ArrayNode layers(List<LayerSpec> layers) {
        ArrayNode out = JSON.createArrayNode();
        for (LayerSpec layer : layers) {
            out.add(layer(layer));
        }
        return out;
    }

    private static ObjectNode layer(LayerSpec layer) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", layer.getClass().getSimpleName());
        for (RecordComponent c : layer.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(layer);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + layer, e);
            }
            put(node, c.getName(), value);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static void put(ObjectNode node, String key, Object value) {
        if (value instanceof Integer i) {
            node.put(key, i);
        } else if (value instanceof Long l) {
            node.put(key, l);
        } else if (value instanceof Double d) {
            node.put(key, d);
        } else if (value instanceof Boolean b) {
            node.put(key, b);
        } else if (value instanceof String s) {
            node.put(key, s);
        } else if (value instanceof Enum<?> e) {
            node.put(key, e.name().toLowerCase(Locale.ROOT));
        } else if (value instanceof List<?> list) {
            node.set(key, layers((List<LayerSpec>) list));
        } else if (value instanceof LayerSpec nested) {
            node.set(key, layer(nested));
        } else {
            throw new IllegalStateException("cannot write " + key + " = " + value + " of a layer as JSON");
        }
    }

    private static List<LayerSpec> readLayers(JsonNode array, String where) {
        if (!array.isArray()) {
            throw new IllegalArgumentException(where + " must be a list of layers");
        }
        List<LayerSpec> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            out.add(readLayer(array.get(i), where + "[" + i + "]"));
        }
        return out;
    }

    private static LayerSpec readLayer(JsonNode node, String where) {
        String typeName = node.path("type").asText("");
        Class<?> type = LAYER_TYPES.get(typeName);
        if (type == null) {
            throw new IllegalArgumentException(where + " has layer type '" + typeName + "', which this version of "
                    + "Bonsai does not know; known: " + LAYER_TYPES.keySet());
        }
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        int present = components.length;
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            String at = where + "." + c.getName();
            JsonNode value = node.get(c.getName());
            if (value == null) {
                // components added to a layer after a checkpoint was written come last and have a constructor
                // without them, which gives their default (for example an attention layer's head width)
                if (present == components.length && shorterConstructor(type, i)) {
                    present = i;
                    continue;
                }
                throw new IllegalArgumentException(at + " is missing (a " + typeName + " layer needs it)");
            } else if (present < components.length) {
                String missing = where + "." + components[present].getName();
                throw new IllegalArgumentException(missing + " is missing (a " + typeName + " layer needs it)");
            }
            args[i] = value(value, c.getType(), c.getGenericType(), at);
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(java.util.Arrays.copyOf(types, present));
            return (LayerSpec) constructor.newInstance(java.util.Arrays.copyOf(args, present));
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(where + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct a " + typeName + " layer", e);
        }
    }

    /** Whether {@code type} has a constructor of its first {@code count} component types. */
    private static boolean shorterConstructor(Class<?> type, int count) {
        Class<?>[] prefix = new Class<?>[count];
        RecordComponent[] components = type.getRecordComponents();
        for (int i = 0; i < count; i++) {
            prefix[i] = components[i].getType();
        }
        try {
            type.getDeclaredConstructor(prefix);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object value(JsonNode value, Class<?> type, Type generic, String at) {
        if (type == int.class) {
            return intValue(value, at);
        }
        if (type == long.class) {
            if (!value.canConvertToLong() || !value.isIntegralNumber()) {
                throw new IllegalArgumentException(at + " must be an integer, got " + value);
            }
            return value.asLong();
        }
        if (type == double.class) {
            if (!value.isNumber()) {
                throw new IllegalArgumentException(at + " must be a number, got " + value);
            }
            return value.asDouble();
        }
        if (type == boolean.class) {
            if (!value.isBoolean()) {
                throw new IllegalArgumentException(at + " must be true or false, got " + value);
            }
            return value.asBoolean();
        }
        if (type == String.class) {
            if (!value.isTextual()) {
                throw new IllegalArgumentException(at + " must be text, got " + value);
            }
            return value.asText();
        }
        if (type.isEnum()) {
            String name = value.asText("").toUpperCase(Locale.ROOT);
            for (Object constant : type.getEnumConstants()) {
                if (((Enum) constant).name().equals(name)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException(at + " is '" + value.asText() + "', not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        }
        if (type == List.class && generic instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == LayerSpec.class) {
            return readLayers(value, at);
        }
        if (LayerSpec.class.isAssignableFrom(type)) {
            LayerSpec nested = readLayer(value, at);
            if (!type.isInstance(nested)) {
                throw new IllegalArgumentException(at + " must be a " + type.getSimpleName() + " layer, got "
                        + nested.getClass().getSimpleName());
            }
            return nested;
        }
        throw new IllegalStateException(at + ": layer components of type " + generic + " cannot be read");
    }

    private static int intValue(JsonNode value, String at) {
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(at + " must be an integer, got " + value);
        }
        return value.asInt();
    }
}
