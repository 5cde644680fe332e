package dev.bonsai.experiments;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.bonsai.experiments.descriptor.DescriptorReader;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.plugins.DiscoveredPlugins;
import dev.bonsai.experiments.plugins.PluginBundle;
import dev.bonsai.experiments.plugins.PluginRegistry;
import dev.bonsai.experiments.plugins.PluginsModule;
import dev.bonsai.experiments.run.ExperimentModule;
import dev.bonsai.experiments.run.ExperimentRunner;
import dev.bonsai.experiments.run.Progress;
import dev.bonsai.experiments.run.RunOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bonsai's entry point for programs: discovers the plugins once, reads descriptors against them, and runs each
 * experiment in an injector of its own.
 */
public final class Bonsai {
    private final Injector root;

    private Bonsai(Injector root) {
        this.root = root;
    }

    /** Bonsai with the plugins on the class path of this class's loader. */
    public static Bonsai create() {
        return new Bonsai(Guice.createInjector(new PluginsModule(DiscoveredPlugins.discover(Bonsai.class.getClassLoader()))));
    }

    /**
     * Bonsai with the plugins on the class path, in the standard plugin folders ({@code plugins/} in the working
     * directory, {@code ~/.bonsai/plugins}) and at {@code locations} (plugin jars, or folders of them), each
     * external plugin in a class loader of its own.
     *
     * @throws dev.bonsai.api.BonsaiException when a location does not exist or a plugin cannot be loaded
     */
    public static Bonsai withPlugins(List<Path> locations) {
        List<Path> all = new ArrayList<>(PluginBundle.standardLocations());
        all.addAll(locations);
        return new Bonsai(Guice.createInjector(new PluginsModule(
                DiscoveredPlugins.discover(Bonsai.class.getClassLoader(), PluginBundle.at(all)))));
    }

    /**
     * Bonsai for one descriptor: as {@link #withPlugins}, plus the plugins the descriptor's {@code plugins:} list
     * names (after {@code overrides}).
     *
     * @throws dev.bonsai.experiments.descriptor.DescriptorException when a listed plugin path does not exist
     */
    public static Bonsai forDescriptor(Path descriptor, List<Path> locations, List<String> overrides) {
        List<Path> all = new ArrayList<>(locations);
        all.addAll(DescriptorReader.pluginLocations(descriptor, overrides));
        return withPlugins(all);
    }

    /** The installed plugins. */
    public PluginRegistry plugins() {
        return root.getInstance(PluginRegistry.class);
    }

    /** Reads and validates a descriptor with overrides. */
    public ExperimentDescriptor read(Path descriptor, List<String> overrides) {
        return root.getInstance(DescriptorReader.class).read(descriptor, overrides);
    }

    /** Runs an experiment. */
    public ExperimentRunner.RunSummary run(ExperimentDescriptor descriptor, RunOptions options, Progress progress)
            throws IOException {
        Injector experiment = root.createChildInjector(new ExperimentModule(descriptor, options, progress));
        return experiment.getInstance(ExperimentRunner.class).run();
    }
}
