package dev.bonsai.experiments.cli;

import dev.bonsai.api.Plugin;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.plugins.DiscoveredPlugins;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.experiments.plugins.PluginRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bonsai plugins}: every plugin with its kind, id, version, source and availability. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List every installed plugin: kind, id, version, source jar, availability.")
final class PluginsCommand implements Callable<Integer> {
    @Option(names = "--plugins", paramLabel = "DIR|JAR",
            description = "A plugin jar, or a folder of plugin jars, to load besides plugins/ and ~/.bonsai/plugins."
                    + " Repeatable.")
    List<Path> plugins = new ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PluginRegistry registry = Bonsai.withPlugins(plugins).plugins();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KIND", "ID", "VERSION", "SOURCE", "STATUS", "DESCRIPTION"});
        for (PluginKind kind : PluginKind.values()) {
            for (Plugin<?> p : registry.of(kind).values()) {
                rows.add(new String[] {kind.label(), p.id(), p.version(), Path.of(DiscoveredPlugins.source(p)).getFileName().toString(),
                        status(p), p.description()});
            }
        }
        Tables.print(spec.commandLine().getOut(), rows);
        return 0;
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
