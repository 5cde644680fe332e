package dev.bonsai.experiments.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bonsai.api.NoOptions;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.experiments.descriptor.Binder;
import dev.bonsai.experiments.descriptor.Variant;
import dev.bonsai.experiments.plugins.PluginRef;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The canonical form of a resolved descriptor (or part of one): plain maps, lists and scalars with every default
 * filled in and keys sorted, so equal experiments hash equally whatever their YAML looked like.
 */
public final class Canonical {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Canonical() {
    }

    /** The canonical tree of a bound value. */
    public static Object tree(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Optional<?> o) {
            return o.map(Canonical::tree).orElse(null);
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(tree(x)));
            return out;
        }
        if (value instanceof Enum<?> e) {
            return Binder.enumKey(e);
        }
        if (value instanceof Structure s) {
            return s.label();
        }
        if (value instanceof PluginRef ref) {
            Map<String, Object> out = new TreeMap<>();
            out.put("id", ref.id());
            if (!(ref.settings() instanceof NoOptions)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> settings = (Map<String, Object>) tree(ref.settings());
                out.putAll(settings);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> options = (Map<String, Object>) tree(ref.options());
            out.putAll(options);
            return out;
        }
        if (value instanceof Record r) {
            Map<String, Object> out = new TreeMap<>();
            Variant variant = r.getClass().getAnnotation(Variant.class);
            if (variant != null) {
                out.put("id", variant.value());
            }
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    var accessor = c.getAccessor();
                    accessor.setAccessible(true);
                    out.put(Binder.keyOf(c), tree(accessor.invoke(r)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }
        return value.toString();
    }

    /** The canonical JSON text of a bound value. */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(tree(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pretty canonical JSON, for the resolved descriptor written beside the results. */
    public static String prettyJson(Object value) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of a text, lower-case hex. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
