package dev.bonsai.experiments.plugins;

import dev.bonsai.api.Plugin;
import dev.bonsai.experiments.descriptor.Location;
import java.util.Objects;

/**
 * A plugin named in a descriptor, resolved: the plugin, its bound options, and the host-side settings that go
 * with its kind (an engine's device, a dataset's folder and validation size).
 *
 * @param kind     the plugin kind
 * @param id       the plugin id
 * @param plugin   the plugin
 * @param options  its options, an instance of {@code plugin.optionsType()}
 * @param settings the host-side settings for the kind ({@link EngineSettings}, {@link DatasetSettings}), or
 *                 {@link dev.bonsai.api.NoOptions}
 * @param location where the descriptor names it
 */
public record PluginRef(PluginKind kind, String id, Plugin<?> plugin, Record options, Record settings,
        Location location) {

    /** Checks the options have the plugin's type. */
    public PluginRef {
        Objects.requireNonNull(plugin, "plugin");
        if (!plugin.optionsType().isInstance(options)) {
            throw new IllegalArgumentException("options of " + id + " must be " + plugin.optionsType().getName());
        }
    }

    /** The plugin as its service type. */
    public <P> P as(Class<P> service) {
        return service.cast(plugin);
    }

    /** The host-side settings as their type. */
    public <S extends Record> S settings(Class<S> type) {
        return type.cast(settings);
    }

    /** A label for records and logs: the id alone. */
    @Override
    public String toString() {
        return id;
    }
}
