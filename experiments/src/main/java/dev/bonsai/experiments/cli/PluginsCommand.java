package dev.bonsai.experiments.cli;

import dev.bonsai.api.Plugin;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.plugins.DiscoveredPlugins;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.experiments.plugins.PluginRegistry;
import dev.bonsai.experiments.reference.DescriptorReference;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bonsai plugins}: every plugin with its kind, id, version, source and availability; with {@code --options},
 * each plugin's options after the list. External plugins (plugin jars) are listed like built-in ones.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List every installed plugin: kind, id, version, source jar, availability; with --options, each"
                + " plugin's options (key, type, default, allowed values, meaning).")
final class PluginsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", arity = "0..*",
            description = "Only the plugins with these ids (of any kind).")
    List<String> ids = new ArrayList<>();

    @Option(names = "--options", description = "Also print each plugin's options.")
    boolean options;

    @Option(names = "--plugins", paramLabel = "DIR|JAR",
            description = "A plugin jar, or a folder of plugin jars, to load besides plugins/ and ~/.bonsai/plugins."
                    + " Repeatable.")
    List<Path> plugins = new ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PluginRegistry registry = Bonsai.withPlugins(plugins).plugins();
        PrintWriter out = spec.commandLine().getOut();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KIND", "ID", "VERSION", "SOURCE", "STATUS", "DESCRIPTION"});
        List<String> unknown = new ArrayList<>(ids);
        for (PluginKind kind : PluginKind.values()) {
            for (Plugin<?> p : registry.of(kind).values()) {
                if (ids.isEmpty() || ids.contains(p.id())) {
                    unknown.remove(p.id());
                    rows.add(new String[] {kind.label(), p.id(), p.version(), source(p), status(p), p.description()});
                }
            }
        }
        if (!unknown.isEmpty()) {
            spec.commandLine().getErr().println("no plugin has the id " + String.join(", ", unknown) + "; run `bonsai"
                    + " plugins` for the list (plugin jars load from plugins/, ~/.bonsai/plugins and --plugins)");
            spec.commandLine().getErr().flush();
            return 2;
        }
        Tables.print(out, rows);
        if (options) {
            for (PluginKind kind : PluginKind.values()) {
                for (Plugin<?> p : registry.of(kind).values()) {
                    if (ids.isEmpty() || ids.contains(p.id())) {
                        printOptions(out, kind, p);
                    }
                }
            }
        }
        return 0;
    }

    private static void printOptions(PrintWriter out, PluginKind kind, Plugin<?> p) {
        out.println();
        out.println(kind.label() + " " + p.id() + " (" + source(p) + "):");
        List<String[]> options = DescriptorReference.optionRows(p.optionsType());
        if (options.isEmpty()) {
            out.println("  no options");
            out.flush();
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"  KEY", "TYPE", "DEFAULT", "ALLOWED", "MEANING"});
        for (String[] o : options) {
            rows.add(new String[] {"  " + o[0], o[1], o[2], o[3], o[4]});
        }
        Tables.print(out, rows);
    }

    private static String source(Plugin<?> p) {
        Path source = Path.of(DiscoveredPlugins.source(p));
        return source.getFileName() == null ? source.toString() : source.getFileName().toString();
    }

    private static String status(Plugin<?> p) {
        if (p instanceof ComputeEngine<?> engine) {
            List<String> parts = new ArrayList<>();
            for (String device : engine.devices()) {
                parts.add(device + (engine.availability(device).available() ? " ✓" : " ✗"));
            }
            return String.join(", ", parts);
        }
        return "ok";
    }

    /** Aligned text tables. */
    static final class Tables {
        private Tables() {
        }

        static void print(PrintWriter out, List<String[]> rows) {
            int[] width = new int[rows.get(0).length];
            for (String[] row : rows) {
                for (int i = 0; i < row.length - 1; i++) {
                    width[i] = Math.max(width[i], row[i].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    b.append(i < row.length - 1 ? String.format("%-" + width[i] + "s  ", row[i]) : row[i]);
                }
                out.println(b.toString().stripTrailing());
            }
            out.flush();
        }
    }
}
