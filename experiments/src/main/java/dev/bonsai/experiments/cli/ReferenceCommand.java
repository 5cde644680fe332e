package dev.bonsai.experiments.cli;

import dev.bonsai.api.Plugin;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.executor.TrialExecutor;
import dev.bonsai.experiments.reference.DescriptorReference;
import dev.bonsai.experiments.reference.DescriptorSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bonsai reference}: the descriptor reference (Markdown) or its JSON Schema, for the installed plugins. */
@Command(name = "reference", mixinStandardHelpOptions = true,
        description = "Print the descriptor reference (Markdown) for the installed plugins, or with --schema the JSON "
                + "Schema editors use for completion.")
final class ReferenceCommand implements Callable<Integer> {
    /**
     * Every plugin but the executors of optional modules (such as {@code executors/spark}), which the launcher adds
     * to the class path when built and which document their options in {@code docs/executors.md}: the committed
     * reference is the same with or without them.
     */
    static boolean documented(Plugin<?> plugin) {
        return !(plugin instanceof TrialExecutor<?>) || plugin.getClass().getProtectionDomain().getCodeSource()
                .equals(Bonsai.class.getProtectionDomain().getCodeSource());
    }

    @Option(names = "--schema", description = "Print the JSON Schema instead of the Markdown reference.")
    boolean schema;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var registry = Bonsai.create().plugins();
        spec.commandLine().getOut().print(schema ? DescriptorSchema.json(registry, ReferenceCommand::documented)
                : DescriptorReference.markdown(registry, ReferenceCommand::documented));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
