package dev.bonsai.experiments.plugins;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Plugin;
import dev.bonsai.api.Spi;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** The plugins {@link ServiceLoader} found on a class path, by kind and id, after SPI-version checks. */
public final class DiscoveredPlugins {
    private final Map<PluginKind, Map<String, Plugin<?>>> byKind;

    private DiscoveredPlugins(Map<PluginKind, Map<String, Plugin<?>>> byKind) {
        this.byKind = byKind;
    }

    /**
     * Discovers every plugin visible to {@code loader}.
     *
     * @throws BonsaiException when a plugin cannot be loaded, was built for another SPI version, or reuses an id
     */
    public static DiscoveredPlugins discover(ClassLoader loader) {
        Map<PluginKind, Map<String, Plugin<?>>> byKind = new EnumMap<>(PluginKind.class);
        for (PluginKind kind : PluginKind.values()) {
            Map<String, Plugin<?>> plugins = new LinkedHashMap<>();
            Iterator<? extends Plugin<?>> it = ServiceLoader.load(kind.service(), loader).iterator();
            while (true) {
                Plugin<?> plugin;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    plugin = it.next();
                } catch (ServiceConfigurationError e) {
                    throw new BonsaiException("cannot load a " + kind.label() + " plugin: " + e.getMessage(), e);
                }
                checkSpi(kind, plugin);
                Plugin<?> earlier = plugins.putIfAbsent(plugin.id(), plugin);
                if (earlier != null) {
                    throw new BonsaiException("two " + kind.label() + " plugins have the id '" + plugin.id() + "': "
                            + earlier.getClass().getName() + " from " + source(earlier) + " and "
                            + plugin.getClass().getName() + " from " + source(plugin) + "; remove one of the jars");
                }
            }
            byKind.put(kind, plugins);
        }
        return new DiscoveredPlugins(byKind);
    }

    private static void checkSpi(PluginKind kind, Plugin<?> plugin) {
        if (plugin.spiVersion() != Spi.VERSION) {
            throw new BonsaiException(kind.label() + " plugin '" + plugin.id() + "' (" + plugin.getClass().getName()
                    + " from " + source(plugin) + ") was built for Bonsai SPI version " + plugin.spiVersion()
                    + ", but this Bonsai has SPI version " + Spi.VERSION
                    + "; rebuild the plugin against this version or use a matching Bonsai");
        }
    }

    /** Where a plugin's class was loaded from: its jar or class folder. */
    public static String source(Plugin<?> plugin) {
        CodeSource cs = plugin.getClass().getProtectionDomain().getCodeSource();
        URL url = cs == null ? null : cs.getLocation();
        return url == null ? "(unknown)" : url.getPath();
    }

    /** The plugins of one kind by id, in discovery order. */
    public Map<String, Plugin<?>> of(PluginKind kind) {
        return byKind.get(kind);
    }

    /** Every plugin of every kind. */
    public List<Plugin<?>> all() {
        List<Plugin<?>> out = new ArrayList<>();
        byKind.values().forEach(m -> out.addAll(m.values()));
        return out;
    }
}
