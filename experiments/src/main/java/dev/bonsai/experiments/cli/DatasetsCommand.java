package dev.bonsai.experiments.cli;

import dev.bonsai.api.Plugin;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.datasets.KnownFile;
import dev.bonsai.datasets.KnownFiles;
import dev.bonsai.datasets.files.DataFileResolver;
import dev.bonsai.datasets.files.DataLocations;
import dev.bonsai.datasets.files.FileStatus;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.plugins.PluginKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bonsai datasets}: every installed dataset with each file it can use, whether the file is present, where
 * (found as a run would find it: {@code --data-dir}, {@code BONSAI_DATA_DIR}, the user cache), and whether it matches
 * its SHA-256. Nothing is downloaded. Datasets of a user's own files ({@code csv}, {@code idx}, {@code text}) have
 * no fixed files and are listed as such.
 */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "List every dataset with its files: present or not, where, and verified by SHA-256. "
                + "Downloads nothing.")
public final class DatasetsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "A data root (DIR/<dataset>/<file>) looked in before BONSAI_DATA_DIR and the user cache.")
    Path dataDir;

    @Option(names = "--no-verify", description = "Only say where files are; do not hash them.")
    boolean noVerify;

    private final Supplier<DataLocations> locations;
    private final Supplier<Collection<Plugin<?>>> datasets;

    /** The command for this process's environment and installed plugins. */
    public DatasetsCommand() {
        this(DataLocations::fromEnvironment, () -> Bonsai.create().plugins().of(PluginKind.DATASET).values());
    }

    /** A command over other locations and datasets (tests). */
    DatasetsCommand(Supplier<DataLocations> locations, Supplier<Collection<Plugin<?>>> datasets) {
        this.locations = locations;
        this.datasets = datasets;
    }

    @Override
    public Integer call() {
        DataFileResolver resolver = new DataFileResolver(locations.get().withDataDir(dataDir));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"DATASET", "FILE", "STATUS", "WHERE"});
        for (Plugin<?> dataset : datasets.get()) {
            if (!(dataset instanceof KnownFiles known)) {
                rows.add(new String[] {dataset.id(), "(your own files, named in the descriptor's options)", "-", "-"});
                continue;
            }
            for (KnownFile k : known.knownFiles()) {
                rows.add(row(dataset.id(), k, resolver));
            }
        }
        PluginsCommand.Tables.print(spec.commandLine().getOut(), rows);
        return 0;
    }

    private String[] row(String id, KnownFile k, DataFileResolver resolver) {
        DataFile file = k.file();
        String name = k.folder().equals(id) ? file.path() : k.folder() + "/" + file.path();
        Optional<FileStatus> status = noVerify || !k.hasChecksum() && !k.optional()
                ? resolver.find(k.folder(), file) : resolver.status(k.folder(), file);
        if (status.isEmpty()) {
            String where = file.mirrors().isEmpty() ? "no download source" : "download from " + file.mirrors().get(0);
            return new String[] {id, name, k.optional() ? "absent (optional)" : "missing", where};
        }
        FileStatus s = status.get();
        String where = s.path() + " (" + s.source() + ")";
        String state;
        if (s.actual().isEmpty()) {
            state = "present, not verified";
        } else if (!k.hasChecksum()) {
            state = "present, no reference SHA-256 (" + s.actual().get().substring(0, 12) + "…)";
        } else if (s.verified()) {
            state = "verified ✓";
        } else {
            state = "SHA-256 MISMATCH ✗ (" + s.actual().get().substring(0, 12) + "…)";
        }
        return new String[] {id, name, state, where};
    }
}
