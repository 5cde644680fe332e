package dev.bonsai.api;

import java.util.Set;

/**
 * What every plugin has: a stable id, a version, the SPI version it was built for and a typed options record.
 *
 * <p>Plugins are stateless factories: options arrive with each call, bound by the host from the experiment
 * descriptor into an instance of {@link #optionsType()} (unknown keys rejected, types and ranges checked, see
 * {@link dev.bonsai.api.options}). A plugin without options uses {@link NoOptions}.
 *
 * @param <O> the options record type
 */
public interface Plugin<O extends Record> {

    /** The stable id used in descriptors, for example {@code magnitude} or {@code mnist}. Lower-case, kebab-case. */
    String id();

    /**
     * Other ids that descriptors may name this plugin by, besides {@link #id()}; none by default. A descriptor that
     * names an alias gets this plugin, and its records and trial ids keep the id the descriptor names, so an alias
     * keeps the results of descriptors written with it. Lower-case, kebab-case, unique among the plugins of a kind.
     */
    default Set<String> aliases() {
        return Set.of();
    }

    /** A one-line description shown by {@code bonsai plugins}. */
    String description();

    /** The record type its options bind to. */
    Class<O> optionsType();

    /**
     * The SPI version this plugin was compiled against. Implement it as {@code return Spi.VERSION;} so the
     * constant is fixed at the plugin's compile time.
     */
    int spiVersion();

    /** The plugin's own version: its jar's {@code Implementation-Version}, or as {@link PluginVersions} finds it. */
    default String version() {
        return PluginVersions.of(getClass());
    }
}
