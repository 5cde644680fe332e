package dev.bonsai.experiments.run;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.descriptor.Binder;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.descriptor.OptionDefaults;
import dev.bonsai.experiments.descriptor.Variant;
import dev.bonsai.experiments.plugins.PluginRef;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What trial ids, teacher hashes and the descriptor hash are hashes of: the canonical tree of the options that
 * determine a computation ({@link Canonical#tree}, keys sorted), where an option whose value equals its documented
 * default ({@link OptionDefaults}) is left out. So an option added with a default leaves every existing id as it
 * was, and spelling a default out in the YAML changes nothing.
 *
 * <p>The options Bonsai had when this rule was introduced are the exception: their ids were published with their
 * defaults spelled out, so keys still spell them out. They are listed, frozen, in {@code spelled-defaults.txt}
 * beside this class; the list never grows, since every later option falls under the rule.
 *
 * <p>Records carry the key's {@link #VERSION} in their provenance ({@value #PROVENANCE_FIELD}); a change to what
 * keys hash (not an option added) raises it, and records without the field are of version 1.
 */
public final class TrialKey {
    /** The version of the rule that builds keys. */
    public static final int VERSION = 1;
    /** The provenance field of a record that holds the version of its trial's key. */
    public static final String PROVENANCE_FIELD = "key_version";
    /** Where a descriptor's own options are addressed in {@code spelled-defaults.txt}. */
    private static final String DESCRIPTOR = "descriptor";
    private static final Set<String> SPELLED_DEFAULTS = load("spelled-defaults.txt");

    private TrialKey() {
    }

    /** The version of the key of a record's trial: {@value #PROVENANCE_FIELD}, or 1 for records without it. */
    public static int versionOf(TrialRecord record) {
        String version = record.provenance().get(PROVENANCE_FIELD);
        if (version == null) {
            return 1;
        }
        try {
            return Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("trial " + record.trialId() + " has " + PROVENANCE_FIELD + " '"
                    + version + "', not a number", e);
        }
    }

    /**
     * The key of a whole descriptor, less the sections that only say where its trials run ({@code executor},
     * {@code resources}).
     */
    static Map<String, Object> descriptor(ExperimentDescriptor descriptor) {
        Map<String, Object> tree = new LinkedHashMap<>(record(descriptor, DESCRIPTOR, ""));
        tree.remove("executor");
        tree.remove("resources");
        return tree;
    }

    /** The key of the part {@code value} of a descriptor found at {@code path}, for example {@code train}. */
    static Object section(Object value, String path) {
        return tree(value, DESCRIPTOR, path);
    }

    /** The key of a plugin named in a descriptor: its id, settings and options. */
    static Object plugin(PluginRef ref) {
        return tree(ref, DESCRIPTOR, "");
    }

    private static Object tree(Object value, String root, String path) {
        if (value instanceof PluginRef ref) {
            String own = ref.kind().label() + " " + ref.id();
            Map<String, Object> out = new TreeMap<>();
            out.put("id", ref.id());
            if (!(ref.settings() instanceof NoOptions)) {
                out.putAll(record(ref.settings(), own, ""));
            }
            out.putAll(record(ref.options(), own, ""));
            return out;
        }
        if (value instanceof Optional<?> o) {
            return o.map(v -> tree(v, root, path)).orElse(null);
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(tree(v, root, path)));
            return out;
        }
        if (value instanceof Record r && !(value instanceof Structure)) {
            return record(r, root, path);
        }
        return Canonical.tree(value);
    }

    private static Map<String, Object> record(Record r, String root, String path) {
        Map<String, Object> out = new TreeMap<>();
        Variant variant = r.getClass().getAnnotation(Variant.class);
        if (variant != null) {
            out.put("id", variant.value());
        }
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            String key = Binder.keyOf(c);
            String at = path.isEmpty() ? key : path + "." + key;
            Object value;
            try {
                var accessor = c.getAccessor();
                accessor.setAccessible(true);
                value = accessor.invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (!SPELLED_DEFAULTS.contains(root + " " + at) && OptionDefaults.isDefault(r.getClass(), c, value)) {
                continue;
            }
            out.put(key, tree(value, root, at));
        }
        return out;
    }

    private static Set<String> load(String name) {
        Set<String> out = new HashSet<>();
        try (InputStream in = TrialKey.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing beside " + TrialKey.class.getName());
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String entry = line.strip();
                if (!entry.isEmpty() && !entry.startsWith("#")) {
                    out.add(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(out);
    }
}
