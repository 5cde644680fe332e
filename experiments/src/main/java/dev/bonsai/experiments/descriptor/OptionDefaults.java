package dev.bonsai.experiments.descriptor;

import dev.bonsai.api.prune.Structure;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.experiments.plugins.PluginRef;
import dev.bonsai.experiments.run.Canonical;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whether an option holds its documented default: the value a descriptor gets by leaving the key out, the same
 * default the descriptor reference documents. That is the component's {@link dev.bonsai.api.options.DefaultValue}
 * bound as the descriptor reader binds it, or absent for an {@link Optional} without one; a required option has
 * none.
 *
 * <p>A default that names a plugin is resolved against the plugins the value itself names: a value naming another
 * plugin than its default differs from it whatever the options.
 */
public final class OptionDefaults {
    private OptionDefaults() {
    }

    /**
     * Whether {@code value}, the value of component {@code c} of record type {@code owner}, equals the component's
     * documented default, compared in canonical form.
     */
    public static boolean isDefault(Class<?> owner, RecordComponent c, Object value) {
        if (c.getAnnotation(dev.bonsai.api.options.DefaultValue.class) == null) {
            return c.getType() == Optional.class && value instanceof Optional<?> o && o.isEmpty();
        }
        List<Problem> problems = new ArrayList<>();
        List<PluginRef> named = new ArrayList<>();
        collectPlugins(value, named);
        Binder binder = new Binder(problems, (kind, node, path, b) -> resolve(kind, node, path, b, named))
                .with(Structure.class, DescriptorReader::structure);
        Object def = binder.bindDefault(owner, c);
        if (def == null || !problems.isEmpty()) {
            return false;
        }
        return Objects.equals(Canonical.tree(def), Canonical.tree(value));
    }

    private static void collectPlugins(Object value, List<PluginRef> out) {
        if (value instanceof PluginRef ref) {
            out.add(ref);
        } else if (value instanceof Optional<?> o) {
            o.ifPresent(v -> collectPlugins(v, out));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collectPlugins(v, out));
        }
    }

    /** A default's plugin, when the value names the same plugin; a problem otherwise. */
    private static PluginRef resolve(PluginKind kind, YamlNode node, String path, Binder binder,
            List<PluginRef> named) {
        String id = null;
        Map<String, YamlNode.Entry> rest = new LinkedHashMap<>();
        if (node instanceof YamlNode.Scalar s && s.value() instanceof String text) {
            id = text;
        } else if (node instanceof YamlNode.MapNode map && map.get("id") instanceof YamlNode.Scalar s
                && s.value() instanceof String text) {
            id = text;
            rest.putAll(map.entries());
            rest.remove("id");
        }
        String wanted = id;
        Optional<PluginRef> same = named.stream().filter(r -> r.kind() == kind && r.id().equals(wanted)).findFirst();
        if (same.isEmpty()) {
            binder.problem(node, path, "the default names " + kind.label() + " '" + id + "', the value another");
            return null;
        }
        Class<? extends Record> settingsType = DescriptorReader.settingsType(kind);
        Set<String> settingsKeys = new HashSet<>();
        for (RecordComponent s : settingsType.getRecordComponents()) {
            settingsKeys.add(Binder.keyOf(s));
        }
        YamlNode.MapNode restMap = new YamlNode.MapNode(node.location(), rest);
        Record settings = binder.bindSubset(restMap, settingsType, path);
        Map<String, YamlNode.Entry> optionEntries = new LinkedHashMap<>(rest);
        optionEntries.keySet().removeAll(settingsKeys);
        Record options = binder.bind(new YamlNode.MapNode(node.location(), optionEntries),
                same.get().plugin().optionsType(), path);
        if (settings == null || options == null) {
            return null;
        }
        return new PluginRef(kind, id, same.get().plugin(), options, settings, node.location());
    }
}
