package dev.bonsai.experiments;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.bonsai.experiments.descriptor.DescriptorReader;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.executor.TrialWork;
import dev.bonsai.experiments.executor.TrialWorker;
import dev.bonsai.experiments.plugins.DiscoveredPlugins;
import dev.bonsai.experiments.plugins.PluginBundle;
import dev.bonsai.experiments.plugins.PluginRegistry;
import dev.bonsai.experiments.plugins.PluginsModule;
import dev.bonsai.experiments.run.ExperimentModule;
import dev.bonsai.experiments.run.ExperimentRunner;
import dev.bonsai.experiments.run.LogProgress;
import dev.bonsai.experiments.run.Progress;
import dev.bonsai.experiments.run.RunOptions;
import dev.bonsai.experiments.run.SweepSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    /** Reads and validates descriptor {@code text} with overrides; {@code file} names it and anchors its paths. */
    public ExperimentDescriptor read(Path file, String text, List<String> overrides) {
        return root.getInstance(DescriptorReader.class).read(file, text, overrides);
    }

    /**
     * A worker computing the trials of {@code work} in this JVM, composed as the driver composed its run: the same
     * descriptor text and overrides, the same external plugins, the same data locations.
     *
     * @throws dev.bonsai.api.BonsaiException when the plugins or the descriptor do not load here
     */
    public static TrialWorker worker(TrialWork work) {
        Path file = Path.of(work.descriptorFile());
        List<Path> plugins = new ArrayList<>();
        work.plugins().forEach(p -> plugins.add(Path.of(p)));
        plugins.addAll(DescriptorReader.pluginLocations(file, work.descriptorText(), work.overrides()));
        Bonsai bonsai = withPlugins(plugins);
        ExperimentDescriptor descriptor = bonsai.read(file, work.descriptorText(), work.overrides());
        RunOptions options = new RunOptions(file, Path.of(work.out()),
                work.dataDir().isEmpty() ? Optional.empty() : Optional.of(Path.of(work.dataDir())), work.offline(),
                work.overrides(), plugins);
        return bonsai.root.createChildInjector(new ExperimentModule(descriptor, options, new LogProgress()))
                .getInstance(SweepSession.class);
    }

    /** Runs an experiment. */
    public ExperimentRunner.RunSummary run(ExperimentDescriptor descriptor, RunOptions options, Progress progress)
            throws IOException {
        Injector experiment = root.createChildInjector(new ExperimentModule(descriptor, options, progress));
        return experiment.getInstance(ExperimentRunner.class).run();
    }
}
