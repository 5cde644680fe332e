package dev.bonsai.experiments.cli;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Plugin;
import dev.bonsai.api.Spi;
import dev.bonsai.api.report.ReportWriter;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.descriptor.Binder;
import dev.bonsai.experiments.descriptor.Problem;
import dev.bonsai.experiments.descriptor.YamlReader;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.experiments.plugins.DiscoveredPlugins;
import dev.bonsai.reports.store.DamagedLine;
import dev.bonsai.reports.store.ResultsStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bonsai report DIR... [--out DIR] [--format markdown,html,csv]}: renders the reports from the result
 * records of one or more output folders. Each folder's {@code results.jsonl} is read (damaged lines are skipped and
 * reported on standard error); the records of all folders are merged, one per trial id (a successful record wins
 * over a failed one, otherwise the later one; folders count in the order given), so runs on several machines and
 * engines become one comparison. The reports go into the single folder given, or into {@code --out}, which several
 * folders require. Exit status 0, or 2 on bad input (a missing folder, no {@code results.jsonl}, an unknown format),
 * with a message.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Render reports from the result records (results.jsonl) of one or more output folders, merged"
                + " into one comparison.")
public final class ReportCommand implements Callable<Integer> {
    /** The formats written when {@code --format} is not given. */
    public static final List<String> DEFAULT_FORMATS = List.of("markdown", "html", "csv");

    /** Bad input: a missing folder or file, an unknown format. */
    static final int BAD_INPUT = 2;

    @Parameters(arity = "1..*", paramLabel = "DIR",
            description = "Output folders of bonsai run, each holding a results.jsonl.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write the reports (default: the folder given; required with several).")
    Path out;

    @Option(names = "--format", split = ",", paramLabel = "FORMAT",
            description = "Report formats, comma-separated (default: markdown,html,csv).")
    List<String> formats = new ArrayList<>(DEFAULT_FORMATS);

    @Spec
    CommandSpec spec;

    /** A command with no arguments yet; picocli fills them in. */
    public ReportCommand() {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try {
            return report(stdout, stderr);
        } catch (BonsaiException e) {
            stderr.println("bonsai: " + e.getMessage());
            stderr.flush();
            return BAD_INPUT;
        } finally {
            stdout.flush();
            stderr.flush();
        }
    }

    private int report(PrintWriter stdout, PrintWriter stderr) throws IOException {
        Path target = outputFolder();
        List<String> ids = formats.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        if (ids.isEmpty()) {
            throw new BonsaiException("--format names no format; known: " + String.join(", ", DEFAULT_FORMATS));
        }
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new BonsaiException(dir + ": no such folder");
            }
            if (!Files.isRegularFile(dir.resolve(ResultsStore.FILE_NAME))) {
                throw new BonsaiException(dir + " holds no " + ResultsStore.FILE_NAME
                        + " (is it an output folder of 'bonsai run'?)");
            }
        }
        Map<String, ReportWriter<?>> known = reportWriters();
        Map<String, ReportWriter<?>> writers = new LinkedHashMap<>();
        for (String id : ids) {
            ReportWriter<?> writer = known.get(id);
            if (writer == null) {
                throw new BonsaiException("unknown report format '" + id + "'; known: "
                        + String.join(", ", known.keySet()));
            }
            writers.put(id, writer);
        }

        List<TrialRecord> all = new ArrayList<>();
        Map<String, Set<Path>> foldersOfTrial = new HashMap<>();
        for (Path dir : dirs) {
            Path file = dir.resolve(ResultsStore.FILE_NAME);
            List<DamagedLine> damaged = new ArrayList<>();
            List<TrialRecord> records = ResultsStore.read(file, damaged::add);
            for (DamagedLine d : damaged) {
                stderr.println("bonsai: skipped damaged line " + d.lineNumber() + " of " + file + ": " + d.reason());
            }
            records.forEach(r -> foldersOfTrial.computeIfAbsent(r.trialId(), k -> new LinkedHashSet<>()).add(dir));
            stdout.printf("%s: %d record%s%s%n", file, records.size(), records.size() == 1 ? "" : "s",
                    damaged.isEmpty() ? "" : ", " + damaged.size() + " damaged line"
                            + (damaged.size() == 1 ? "" : "s") + " skipped");
            all.addAll(records);
        }
        List<TrialRecord> merged = ResultsStore.latestPerTrial(all);
        long shared = foldersOfTrial.values().stream().filter(s -> s.size() > 1).count();
        if (shared > 0) {
            stderr.println("bonsai: " + shared + " trial" + (shared == 1 ? " was" : "s were")
                    + " recorded in more than one folder; one record each counts (a successful one, else the last)");
        }
        if (merged.isEmpty()) {
            stderr.println("bonsai: no trial records found; the reports will be empty");
        }
        Files.createDirectories(target);
        List<Path> written = new ArrayList<>();
        for (ReportWriter<?> writer : writers.values()) {
            written.addAll(write(writer, merged, target));
        }
        stdout.printf("%d trial%s from %d folder%s; reports in %s%n", merged.size(), merged.size() == 1 ? "" : "s",
                dirs.size(), dirs.size() == 1 ? "" : "s", target);
        written.forEach(p -> stdout.println("  " + p));
        return 0;
    }

    /**
     * The report writers on the class path, by id, found as {@code bonsai run} finds plugins (with the same SPI
     * version check) but without loading the other kinds: rendering reports needs no engine or strategy.
     */
    private static Map<String, ReportWriter<?>> reportWriters() {
        Map<String, ReportWriter<?>> byId = new TreeMap<>();
        Iterator<? extends Plugin<?>> it = ServiceLoader.load(PluginKind.REPORT.service(),
                ReportCommand.class.getClassLoader()).iterator();
        while (true) {
            Plugin<?> plugin;
            try {
                if (!it.hasNext()) {
                    break;
                }
                plugin = it.next();
            } catch (ServiceConfigurationError e) {
                throw new BonsaiException("cannot load a report plugin: " + e.getMessage(), e);
            }
            if (plugin.spiVersion() != Spi.VERSION) {
                throw new BonsaiException("report plugin '" + plugin.id() + "' (" + DiscoveredPlugins.source(plugin)
                        + ") was built for Bonsai SPI version " + plugin.spiVersion() + ", but this Bonsai has SPI"
                        + " version " + Spi.VERSION + "; rebuild it against this version");
            }
            ReportWriter<?> earlier = byId.putIfAbsent(plugin.id(), (ReportWriter<?>) plugin);
            if (earlier != null) {
                throw new BonsaiException("two report plugins have the id '" + plugin.id() + "': "
                        + DiscoveredPlugins.source(earlier) + " and " + DiscoveredPlugins.source(plugin));
            }
        }
        return byId;
    }

    private Path outputFolder() {
        if (out != null) {
            return out;
        }
        if (dirs.size() == 1) {
            return dirs.get(0);
        }
        throw new BonsaiException("--out DIR is required when merging several folders (" + dirs.stream()
                .map(Path::toString).collect(Collectors.joining(", ")) + ")");
    }

    private static <O extends Record> List<Path> write(ReportWriter<O> writer, List<TrialRecord> records, Path dir)
            throws IOException {
        return writer.write(records, dir, defaultOptions(writer));
    }

    /** The writer's options with every value at its default, as a descriptor naming the format alone gets them. */
    private static <O extends Record> O defaultOptions(ReportWriter<O> writer) {
        List<Problem> problems = new ArrayList<>();
        Binder binder = new Binder(problems, (kind, node, path, b) -> {
            b.problem(node, path, "report options cannot name plugins");
            return null;
        });
        O options = binder.bind(YamlReader.parse("{}", problems), writer.optionsType(), "report." + writer.id());
        if (options == null || !problems.isEmpty()) {
            throw new BonsaiException("report format '" + writer.id() + "' has options without defaults: "
                    + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        }
        return options;
    }
}
