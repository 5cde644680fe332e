package dev.bonsai.experiments.plugins;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one external plugin: its jar, or the jars of its folder (the plugin and its dependencies).
 *
 * <p>Modelled on Trino's {@code PluginClassLoader}: the host's API packages ({@code dev.bonsai.api} and below, and
 * the executor SPI {@code dev.bonsai.experiments.executor}) come
 * from the host, parent-first, so the plugin and the host share the service interfaces and value types; the JDK
 * comes from the platform class loader; everything else is looked up in the plugin's own jars only. A plugin
 * therefore never sees Bonsai's implementation or its libraries (Guice, Jackson, DJL, …), and may bundle any
 * version of a library Bonsai or another plugin also uses.
 */
final class PluginClassLoader extends URLClassLoader {
    /** Packages (as class-name prefixes) every plugin shares with the host. */
    static final List<String> HOST_PACKAGES = List.of("dev.bonsai.api.", "dev.bonsai.experiments.executor.");

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final ClassLoader host;

    /**
     * A loader over {@code urls}.
     *
     * @param name the plugin's name, for diagnostics
     * @param urls the plugin's jars
     * @param host the loader of the host's API classes
     */
    PluginClassLoader(String name, List<URL> urls, ClassLoader host) {
        super(name, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        this.host = host;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                if (isHostClass(name)) {
                    loaded = host.loadClass(name);
                } else if (name.startsWith("java.")) {
                    loaded = getParent().loadClass(name);
                } else {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException e) {
                        loaded = getParent().loadClass(name);
                    }
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public URL getResource(String name) {
        if (isHostResource(name)) {
            return host.getResource(name);
        }
        URL own = findResource(name);
        return own != null ? own : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isHostResource(name)) {
            return host.getResources(name);
        }
        List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
        all.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(all);
    }

    static boolean isHostClass(String name) {
        for (String prefix : HOST_PACKAGES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHostResource(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        for (String prefix : HOST_PACKAGES) {
            if (n.startsWith(prefix.replace('.', '/'))) {
                return true;
            }
        }
        return false;
    }
}
