package dev.bonsai.experiments.plugins;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Plugin;
import dev.bonsai.api.Spi;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The plugins found on the host's class path and in external plugin jars, by kind and id, after SPI-version checks.
 *
 * <p>Each external {@link PluginBundle} is loaded by a {@link PluginClassLoader} of its own, which shares only the
 * API packages with the host. Every failure names the plugin or jar and says what to do.
 */
public final class DiscoveredPlugins {
    private static final Logger LOG = LogManager.getLogger(DiscoveredPlugins.class);
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
        return discover(loader, List.of());
    }

    /**
     * Discovers every plugin visible to {@code host}, then those of each external bundle, each in a class loader
     * of its own that sees only the API packages of {@code host} and the JDK.
     *
     * @throws BonsaiException when a bundle holds no plugin, a plugin cannot be loaded, was built for another SPI
     *                         version, or reuses an id
     */
    public static DiscoveredPlugins discover(ClassLoader host, List<PluginBundle> bundles) {
        Map<PluginKind, Map<String, Plugin<?>>> byKind = new EnumMap<>(PluginKind.class);
        for (PluginKind kind : PluginKind.values()) {
            byKind.put(kind, new LinkedHashMap<>());
        }
        for (PluginKind kind : PluginKind.values()) {
            load(kind, host, null, byKind.get(kind));
        }
        for (PluginBundle bundle : bundles) {
            requireServiceEntries(bundle);
            PluginClassLoader loader = new PluginClassLoader("bonsai-plugin:" + bundle.name(), bundle.urls(), host);
            int found = 0;
            for (PluginKind kind : PluginKind.values()) {
                found += load(kind, loader, bundle, byKind.get(kind));
            }
            if (found == 0) {
                throw new BonsaiException("plugin " + bundle.location() + " lists plugin classes in META-INF/services"
                        + " but none could be loaded; check the class names in those files");
            }
            LOG.debug("loaded {} plugin(s) from {}", found, bundle.location());
        }
        return new DiscoveredPlugins(byKind);
    }

    private static int load(PluginKind kind, ClassLoader loader, PluginBundle bundle, Map<String, Plugin<?>> plugins) {
        String where = bundle == null ? "the class path" : bundle.location().toString();
        Iterator<? extends Plugin<?>> it = ServiceLoader.load(kind.service(), loader).iterator();
        int found = 0;
        while (true) {
            Plugin<?> plugin;
            String id;
            try {
                if (!it.hasNext()) {
                    break;
                }
                plugin = it.next();
                checkSpi(kind, plugin);
                id = plugin.id();
            } catch (ServiceConfigurationError | LinkageError e) {
                throw new BonsaiException("cannot load a " + kind.label() + " plugin from " + where + ": "
                        + describe(e) + "; check that its META-INF/services/" + kind.service().getName()
                        + " names a public class with a public no-argument constructor, that the class's dependencies"
                        + " are bundled with it (a plugin with dependencies is a folder of jars), and that it was"
                        + " built against Bonsai SPI version " + Spi.VERSION, e);
            }
            Plugin<?> earlier = plugins.putIfAbsent(id, plugin);
            if (earlier != null) {
                throw new BonsaiException("two " + kind.label() + " plugins have the id '" + id + "': "
                        + earlier.getClass().getName() + " from " + source(earlier) + " and "
                        + plugin.getClass().getName() + " from " + source(plugin) + "; remove one of the jars");
            }
            found++;
        }
        return found;
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            b.append(" (").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(')');
        }
        if (e instanceof LinkageError) {
            b.insert(0, e.getClass().getSimpleName() + ": ");
        }
        return b.toString();
    }

    private static void requireServiceEntries(PluginBundle bundle) {
        for (Path jar : bundle.jars()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (PluginKind kind : PluginKind.values()) {
                    if (file.getJarEntry("META-INF/services/" + kind.service().getName()) != null) {
                        return;
                    }
                }
            } catch (IOException e) {
                throw new BonsaiException("cannot read plugin jar " + jar + ": " + e.getMessage()
                        + "; is it a complete jar file?", e);
            }
        }
        List<String> services = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            services.add(kind.service().getName());
        }
        throw new BonsaiException("plugin " + bundle.location() + " holds no Bonsai plugin: no META-INF/services entry"
                + " for any of " + String.join(", ", services) + "; add the service file naming the plugin class, or,"
                + " if this jar is a dependency of a plugin, put both into a folder of their own");
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

    /** Whether {@code plugin} was loaded from an external plugin jar or folder, not from Bonsai's class path. */
    public static boolean external(Plugin<?> plugin) {
        return plugin.getClass().getClassLoader() instanceof PluginClassLoader;
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
