package dev.bonsai.experiments.cli;

import dev.bonsai.api.Plugin;
import dev.bonsai.api.engine.Availability;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.plugins.PluginKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code bonsai engines}: engines and devices, available or why not. */
@Command(name = "engines", mixinStandardHelpOptions = true, description = "List engines and devices, available or why not.")
final class EnginesCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ENGINE", "RANK", "DEVICE", "AVAILABLE", "REASON"});
        for (Plugin<?> p : Bonsai.create().plugins().of(PluginKind.ENGINE).values()) {
            ComputeEngine<?> engine = (ComputeEngine<?>) p;
            for (String device : engine.devices()) {
                Availability a = engine.availability(device);
                rows.add(new String[] {engine.id(), Integer.toString(engine.rank()), device, a.available() ? "yes" : "no",
                        a.reason()});
            }
        }
        PluginsCommand.Tables.print(spec.commandLine().getOut(), rows);
        return 0;
    }
}
