package dev.bonsai.experiments.cli;

import dev.bonsai.experiments.Bonsai;
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
    @Option(names = "--schema", description = "Print the JSON Schema instead of the Markdown reference.")
    boolean schema;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var registry = Bonsai.create().plugins();
        spec.commandLine().getOut().print(schema ? DescriptorSchema.json(registry, p -> true)
                : DescriptorReference.markdown(registry, p -> true));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
