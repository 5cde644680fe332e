package dev.bonsai.experiments.descriptor;

import dev.bonsai.api.Plugin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Binds a plugin's options from YAML text outside a descriptor, for example from command-line flags. */
public final class PluginOptions {
    private PluginOptions() {
    }

    /**
     * The options of {@code plugin} from {@code yaml}, a mapping such as {@code {threads: 2}} (or {@code {}} for the
     * defaults), checked like a descriptor's.
     *
     * @param source names the origin in messages, for example {@code --threads}
     * @throws DescriptorException listing every problem
     */
    public static <O extends Record> O bind(Plugin<O> plugin, String yaml, String source) {
        List<Problem> problems = new ArrayList<>();
        YamlNode node = YamlReader.parse(yaml, problems);
        O options = null;
        if (node != null) {
            Binder binder = new Binder(problems, (kind, n, path, b) -> {
                b.problem(n, path, "plugin references are not allowed here");
                return null;
            });
            options = binder.bind(node, plugin.optionsType(), plugin.id());
        }
        if (!problems.isEmpty() || options == null) {
            throw new DescriptorException(Path.of(source), problems);
        }
        return options;
    }
}
