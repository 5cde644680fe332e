package dev.bonsai.experiments.cli;

import dev.bonsai.api.Plugin;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.executor.TrialExecutor;
import dev.bonsai.experiments.plugins.DiscoveredPlugins;
import dev.bonsai.experiments.reference.DescriptorReference;
import dev.bonsai.experiments.reference.DescriptorSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bonsai reference}: the descriptor reference (Markdown) or its JSON Schema, for the installed plugins: those
 * on the class path and those in plugin jars ({@code plugins/}, {@code ~/.bonsai/plugins}, {@code --plugins}).
 */
@Command(name = "reference", mixinStandardHelpOptions = true,
        description = "Print the descriptor reference (Markdown) for the installed plugins, plugin jars included, or"
                + " with --schema the JSON Schema editors use for completion.")
final class ReferenceCommand implements Callable<Integer> {
    /**
     * Every plugin but the executors of optional modules (such as {@code executors/spark}), which the launcher adds
     * to the class path when built and which document their options in {@code docs/executors.md}: the committed
     * reference is the same with or without them. Plugins from plugin jars are documented, executors included.
     */
    static boolean documented(Plugin<?> plugin) {
        return !(plugin instanceof TrialExecutor<?>) || DiscoveredPlugins.external(plugin)
                || plugin.getClass().getProtectionDomain().getCodeSource()
                        .equals(Bonsai.class.getProtectionDomain().getCodeSource());
    }

    @Option(names = "--plugins", paramLabel = "DIR|JAR",
            description = "A plugin jar, or a folder of plugin jars, to document besides plugins/ and"
                    + " ~/.bonsai/plugins. Repeatable.")
    List<Path> plugins = new ArrayList<>();

    @Option(names = "--schema", description = "Print the JSON Schema instead of the Markdown reference.")
    boolean schema;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var registry = Bonsai.withPlugins(plugins).plugins();
        spec.commandLine().getOut().print(schema ? DescriptorSchema.json(registry, ReferenceCommand::documented)
                : DescriptorReference.markdown(registry, ReferenceCommand::documented));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
