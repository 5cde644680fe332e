package dev.bonsai.experiments.plugins;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Plugin;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.model.ModelProvider;
import dev.bonsai.api.prune.PruningSchedule;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.report.ReportWriter;
import dev.bonsai.experiments.executor.TrialExecutor;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The plugins of every kind by id, as Guice's map bindings provide them, and by the aliases they declare
 * ({@link Plugin#aliases()}).
 */
@Singleton
public final class PluginRegistry {
    private final Map<PluginKind, Map<String, Plugin<?>>> byKind = new EnumMap<>(PluginKind.class);
    private final Map<PluginKind, Map<String, Plugin<?>>> byAlias = new EnumMap<>(PluginKind.class);

    /** The registry over the bound plugin maps. */
    @Inject
    public PluginRegistry(Map<String, ComputeEngine<?>> engines, Map<String, DatasetProvider<?>> datasets,
            Map<String, ModelProvider<?>> models, Map<String, PruningStrategy<?>> strategies,
            Map<String, PruningSchedule<?>> schedules, Map<String, DistillationRecipe<?>> recipes,
            Map<String, ReportWriter<?>> reports, Map<String, TrialExecutor<?>> executors) {
        put(PluginKind.ENGINE, engines);
        put(PluginKind.DATASET, datasets);
        put(PluginKind.MODEL, models);
        put(PluginKind.STRATEGY, strategies);
        put(PluginKind.SCHEDULE, schedules);
        put(PluginKind.RECIPE, recipes);
        put(PluginKind.REPORT, reports);
        put(PluginKind.EXECUTOR, executors);
    }

    private void put(PluginKind kind, Map<String, ? extends Plugin<?>> plugins) {
        byKind.put(kind, Collections.unmodifiableMap(new TreeMap<>(plugins)));
        Map<String, Plugin<?>> aliases = new TreeMap<>();
        for (Plugin<?> plugin : plugins.values()) {
            for (String alias : plugin.aliases()) {
                Plugin<?> other = plugins.containsKey(alias) ? plugins.get(alias) : aliases.get(alias);
                if (other != null && other != plugin) {
                    throw new BonsaiException(kind.label() + " plugin '" + plugin.id() + "' ("
                            + plugin.getClass().getName() + ") declares the alias '" + alias + "', which "
                            + kind.label() + " plugin '" + other.id() + "' (" + other.getClass().getName() + ") "
                            + (plugins.containsKey(alias) ? "has as its id" : "declares too")
                            + "; an id or alias names one plugin only: remove one of the plugins or the alias");
                }
                if (other == null) {
                    aliases.put(alias, plugin);
                }
            }
        }
        byAlias.put(kind, Collections.unmodifiableMap(aliases));
    }

    /** The plugins of {@code kind}, sorted by id (aliases left out). */
    public Map<String, Plugin<?>> of(PluginKind kind) {
        return byKind.get(kind);
    }

    /** The plugin of {@code kind} named {@code id}, or that declares {@code id} as an alias, if any. */
    public Optional<Plugin<?>> find(PluginKind kind, String id) {
        Plugin<?> plugin = byKind.get(kind).get(id);
        return Optional.ofNullable(plugin != null ? plugin : byAlias.get(kind).get(id));
    }

    /** Engines that know {@code device}, best rank first. */
    public List<ComputeEngine<?>> enginesFor(String device) {
        List<ComputeEngine<?>> out = new ArrayList<>();
        for (Plugin<?> p : byKind.get(PluginKind.ENGINE).values()) {
            ComputeEngine<?> engine = (ComputeEngine<?>) p;
            if (engine.devices().contains(deviceKind(device))) {
                out.add(engine);
            }
        }
        out.sort(Comparator.comparingInt((ComputeEngine<?> e) -> e.rank()).reversed());
        return out;
    }

    /** Every device any engine knows. */
    public List<String> knownDevices() {
        Map<String, Boolean> devices = new LinkedHashMap<>();
        for (Plugin<?> p : byKind.get(PluginKind.ENGINE).values()) {
            ((ComputeEngine<?>) p).devices().forEach(d -> devices.put(d, true));
        }
        return List.copyOf(devices.keySet());
    }

    /** The device kind of a device name: {@code cuda:1} → {@code cuda}. */
    public static String deviceKind(String device) {
        int colon = device.indexOf(':');
        return colon < 0 ? device : device.substring(0, colon);
    }
}
