package dev.bonsai.experiments.run;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.datasets.files.DataFileResolver;
import dev.bonsai.datasets.files.DataLocations;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.plugins.DatasetSettings;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** The bindings of one experiment: its descriptor, how it runs, where its data comes from, how progress shows. */
public final class ExperimentModule extends AbstractModule {
    private final ExperimentDescriptor descriptor;
    private final RunOptions options;
    private final Progress progress;

    /** The module of one experiment. */
    public ExperimentModule(ExperimentDescriptor descriptor, RunOptions options, Progress progress) {
        this.descriptor = descriptor;
        this.options = options;
        this.progress = progress;
    }

    @Override
    protected void configure() {
        bind(ExperimentDescriptor.class).toInstance(descriptor);
        bind(RunOptions.class).toInstance(options);
        bind(Progress.class).toInstance(progress);
    }

    /** Resolution order: the descriptor's dataset path, --data-dir, BONSAI_DATA_DIR, the user cache, download. */
    @Provides
    @Singleton
    DataFiles dataFiles() {
        DataLocations locations = DataLocations.fromEnvironment();
        DatasetSettings settings = descriptor.dataset().settings(DatasetSettings.class);
        Path base = options.descriptorFile().toAbsolutePath().getParent();
        if (settings.path().isPresent()) {
            locations = locations.withExplicitFolder(base.resolve(settings.path().get()));
        }
        if (options.dataDir().isPresent()) {
            locations = locations.withDataDir(options.dataDir().get());
        }
        if (options.offline()) {
            locations = locations.withOffline(true);
        }
        return new DataFileResolver(locations);
    }
}
