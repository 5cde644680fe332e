package dev.bonsai.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSource;
import java.util.Properties;

/**
 * Finds the version of the artifact a class came from: the {@code Implementation-Version} of its jar's manifest,
 * else {@code META-INF/bonsai/version.properties} beside the class (as Bonsai's own modules write it), else
 * {@code "unknown"}.
 */
public final class PluginVersions {
    /** Where a module may record its version, relative to its class path root. */
    public static final String VERSION_RESOURCE = "META-INF/bonsai/version.properties";

    private PluginVersions() {
    }

    /** The version of the artifact that holds {@code type}. */
    public static String of(Class<?> type) {
        Package pkg = type.getPackage();
        if (pkg != null && pkg.getImplementationVersion() != null) {
            return pkg.getImplementationVersion();
        }
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            try (URLClassLoader loader = new URLClassLoader(new URL[] {source.getLocation()}, null)) {
                URL resource = loader.findResource(VERSION_RESOURCE);
                if (resource != null) {
                    try (InputStream in = resource.openStream()) {
                        Properties properties = new Properties();
                        properties.load(in);
                        return properties.getProperty("version", "unknown");
                    }
                }
            } catch (IOException e) {
                return "unknown";
            }
        }
        return "unknown";
    }
}
