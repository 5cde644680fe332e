package dev.bonsai.experiments.plugins;

import dev.bonsai.api.BonsaiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One external plugin: a jar, or a folder holding a plugin's jar together with the jars it depends on. Each bundle
 * gets a {@link PluginClassLoader} of its own.
 *
 * @param location the jar or folder
 * @param jars     the jars, sorted by path
 */
public record PluginBundle(Path location, List<Path> jars) {
    /** Copies the list. */
    public PluginBundle {
        jars = List.copyOf(jars);
    }

    /** The bundle's name in messages: its jar's or folder's file name. */
    public String name() {
        Path file = location.getFileName();
        return file == null ? location.toString() : file.toString();
    }

    /** The jars as URLs for a class loader. */
    List<URL> urls() {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new BonsaiException("cannot use plugin jar " + jar + ": " + e.getMessage(), e);
            }
        }
        return urls;
    }

    /**
     * The standard plugin folders that exist: {@code plugins/} in the working directory, then
     * {@code ~/.bonsai/plugins}.
     */
    public static List<Path> standardLocations() {
        List<Path> out = new ArrayList<>();
        Path local = Path.of("plugins");
        if (Files.isDirectory(local)) {
            out.add(local);
        }
        String home = System.getProperty("user.home");
        if (home != null && !home.isBlank()) {
            Path user = Path.of(home, ".bonsai", "plugins");
            if (Files.isDirectory(user)) {
                out.add(user);
            }
        }
        return out;
    }

    /**
     * The bundles at {@code locations}, in order, each real path once. A jar is one plugin. A folder holds plugins:
     * each jar directly inside it is one plugin, and each sub-folder is one plugin made of all the jars under it
     * (a plugin with its dependencies).
     *
     * @throws BonsaiException when a location does not exist or is neither a jar nor a folder
     */
    public static List<PluginBundle> at(List<Path> locations) {
        Map<Path, PluginBundle> bundles = new LinkedHashMap<>();
        for (Path location : locations) {
            if (!Files.exists(location)) {
                throw new BonsaiException("plugin path " + location.toAbsolutePath().normalize() + " does not exist;"
                        + " name a plugin jar or a folder of plugin jars, or remove it from --plugins / 'plugins:'");
            }
            if (Files.isDirectory(location)) {
                for (Path entry : list(location)) {
                    if (Files.isDirectory(entry)) {
                        List<Path> jars = jarsUnder(entry);
                        if (!jars.isEmpty()) {
                            add(bundles, new PluginBundle(entry, jars));
                        }
                    } else if (isJar(entry)) {
                        add(bundles, new PluginBundle(entry, List.of(entry)));
                    }
                }
            } else if (isJar(location)) {
                add(bundles, new PluginBundle(location, List.of(location)));
            } else {
                throw new BonsaiException("plugin path " + location + " is neither a .jar nor a folder; name a plugin"
                        + " jar or a folder of plugin jars");
            }
        }
        return List.copyOf(bundles.values());
    }

    private static void add(Map<Path, PluginBundle> bundles, PluginBundle bundle) {
        bundles.putIfAbsent(real(bundle.location()), bundle);
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    private static boolean isJar(Path file) {
        return Files.isRegularFile(file) && file.getFileName().toString().endsWith(".jar");
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new BonsaiException("cannot list plugin folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> jarsUnder(Path folder) {
        try (Stream<Path> entries = Files.walk(folder)) {
            return entries.filter(PluginBundle::isJar).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new BonsaiException("cannot list plugin folder " + folder + ": " + e.getMessage(), e);
        }
    }
}
