package dev.bonsai.experiments.cli;

import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.run.SweepPlanner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bonsai validate FILE}: parse and resolve without running anything. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a descriptor: syntax, keys, types, ranges and plugins. Every error names its line and column.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The experiment descriptor (YAML).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a descriptor value, e.g. train.epochs=1.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--plugins", paramLabel = "DIR|JAR",
            description = "A plugin jar, or a folder of plugin jars, to load besides plugins/ and ~/.bonsai/plugins."
                    + " Repeatable.")
    List<Path> plugins = new ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ExperimentDescriptor d = Bonsai.forDescriptor(file, plugins, overrides).read(file, overrides);
        boolean perLayer = SweepPlanner.sensitivity(d); // the layers are known once the data and model are
        int trials = SweepPlanner.plan(d, List.of("one layer")).size();
        int seeds = d.seeds().size();
        int engines = d.engine().size();
        String shape = (engines > 1 ? engines + " engines × " : "") + d.prune().map(p -> String.format(
                "%d seed%s × %d strateg%s × %d sparsit%s", seeds, seeds == 1 ? "" : "s", p.strategies().size(),
                p.strategies().size() == 1 ? "y" : "ies", p.sparsities().size(),
                p.sparsities().size() == 1 ? "y" : "ies"))
                .orElse(seeds + " seed" + (seeds == 1 ? "" : "s") + ", dense only");
        spec.commandLine().getOut().printf("%s is valid: experiment '%s', %d trial%s%s (%s)%n", file, d.name(), trials,
                trials == 1 ? "" : "s", perLayer ? " per prunable layer (sensitivity analysis)" : "", shape);
        return 0;
    }
}
