package dev.bonsai.experiments.descriptor;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Plugin;
import dev.bonsai.api.engine.Availability;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.MovementProbe;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.experiments.executor.TrialExecutor;
import dev.bonsai.experiments.plugins.DatasetSettings;
import dev.bonsai.experiments.plugins.EngineSettings;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.experiments.plugins.PluginRef;
import dev.bonsai.experiments.plugins.PluginRegistry;
import dev.bonsai.strategies.structure.GroupKind;
import dev.bonsai.strategies.structure.GroupKinds;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a descriptor file into an {@link ExperimentDescriptor}: parses the YAML, applies command-line overrides,
 * binds every section, resolves every plugin (unknown ids list the known ones; unavailable engines say why) and
 * throws one {@link DescriptorException} with every problem found.
 */
public final class DescriptorReader {
    private static final Pattern N_OF_M = Pattern.compile("(\\d+)\\s*:\\s*(\\d+)");
    private final PluginRegistry registry;

    /** A reader resolving plugins from {@code registry}. */
    @Inject
    public DescriptorReader(PluginRegistry registry) {
        this.registry = registry;
    }

    /**
     * Reads and validates {@code file}.
     *
     * @param file      the descriptor
     * @param overrides {@code key.path=value} pairs (values in YAML syntax) applied before validation, for example
     *                  {@code train.epochs=1}
     * @throws DescriptorException listing every problem
     * @throws BonsaiException     when the file cannot be read
     */
    public ExperimentDescriptor read(Path file, List<String> overrides) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BonsaiException("cannot read descriptor " + file + ": " + e.getMessage(), e);
        }
        return read(file, text, overrides);
    }

    /** Reads and validates descriptor {@code text}; {@code file} names it in messages. */
    public ExperimentDescriptor read(Path file, String text, List<String> overrides) {
        List<Problem> problems = new ArrayList<>();
        YamlNode root = YamlReader.parse(text, problems);
        if (root == null) {
            throw new DescriptorException(file, problems);
        }
        for (String override : overrides) {
            root = Overrides.apply(root, override, problems);
        }
        Binder binder = new Binder(problems, this::resolve).with(Structure.class, DescriptorReader::structure);
        ExperimentDescriptor descriptor = binder.bind(root, ExperimentDescriptor.class, "");
        if (descriptor != null && descriptor.executor().as(TrialExecutor.class).runsTrialsHere()) {
            descriptor.engine().forEach(engine -> checkAvailable(engine, problems));
        }
        if (descriptor != null) {
            checkMovementScores(descriptor, problems);
        }
        if (!problems.isEmpty() || descriptor == null) {
            throw new DescriptorException(file, problems);
        }
        return descriptor;
    }

    /**
     * A strategy that needs scores accumulated during fine-tuning ({@link Requirement#MOVEMENT_SCORES}) needs every
     * engine to accumulate them natively, and some fine-tuning to accumulate them over.
     */
    private static void checkMovementScores(ExperimentDescriptor descriptor, List<Problem> problems) {
        if (descriptor.prune().isEmpty()) {
            return;
        }
        ExperimentDescriptor.PruneSection prune = descriptor.prune().get();
        for (PluginRef strategy : prune.strategies()) {
            if (!requirements(strategy).contains(Requirement.MOVEMENT_SCORES)) {
                continue;
            }
            for (PluginRef engine : descriptor.engine()) {
                if (!engine.as(ComputeEngine.class).nativeCapabilities().contains(MovementProbe.class)) {
                    problems.add(new Problem(strategy.location(), "prune.strategies", "strategy '" + strategy.id()
                            + "' scores by what fine-tuning does to the weights, which only an engine that accumulates"
                            + " it at every step can tell (MovementProbe), and engine '" + engine.id()
                            + "' does not; use an engine that does (djl, dl4j) or another strategy"));
                }
            }
            if (prune.finetune().epochs() == 0) {
                problems.add(new Problem(strategy.location(), "prune.strategies", "strategy '" + strategy.id()
                        + "' scores weights by their movement during fine-tuning, but prune.finetune.epochs is 0; "
                        + "fine-tune at least one epoch (with an iterative or gradual schedule) or use another"
                        + " strategy"));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <O extends Record> Set<Requirement> requirements(PluginRef ref) {
        return ((PruningStrategy<O>) ref.plugin()).requirements((O) ref.options());
    }

    /**
     * The external plugin locations a descriptor names in its top-level {@code plugins:} list (after
     * {@code overrides}), resolved against the descriptor's folder. Read from the raw YAML, before the plugins are
     * loaded and the descriptor bound; other problems in the file are left to {@link #read}.
     *
     * @throws DescriptorException naming the line and column of a path that does not exist or is not a text
     * @throws BonsaiException     when the file cannot be read
     */
    public static List<Path> pluginLocations(Path file, List<String> overrides) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BonsaiException("cannot read descriptor " + file + ": " + e.getMessage(), e);
        }
        return pluginLocations(file, text, overrides);
    }

    /** As {@link #pluginLocations(Path, List)}, for descriptor {@code text} that lies (or lay) at {@code file}. */
    public static List<Path> pluginLocations(Path file, String text, List<String> overrides) {
        List<Problem> ignored = new ArrayList<>();
        YamlNode root = YamlReader.parse(text, ignored);
        for (String override : overrides) {
            if (root != null) {
                root = Overrides.apply(root, override, ignored);
            }
        }
        if (!(root instanceof YamlNode.MapNode map) || !(map.get("plugins") instanceof YamlNode.ListNode list)) {
            return List.of();
        }
        Path folder = file.toAbsolutePath().getParent();
        List<Path> out = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            YamlNode item = list.items().get(i);
            String at = "plugins[" + i + "]";
            if (!(item instanceof YamlNode.Scalar s) || !(s.value() instanceof String text2) || text2.isBlank()) {
                problems.add(new Problem(item.location(), at, "expected the path of a plugin jar or folder, got "
                        + item.describe()));
                continue;
            }
            Path path = folder.resolve(text2).normalize();
            if (!Files.exists(path)) {
                problems.add(new Problem(item.location(), at, "plugin path '" + text2 + "' does not exist (looked for "
                        + path + "); build the plugin or fix the path, which is relative to the descriptor's folder"));
                continue;
            }
            out.add(path);
        }
        if (!problems.isEmpty()) {
            throw new DescriptorException(file, problems);
        }
        return out;
    }

    private PluginRef resolve(PluginKind kind, YamlNode node, String path, Binder binder) {
        String id;
        Map<String, YamlNode.Entry> rest = new LinkedHashMap<>();
        if (node instanceof YamlNode.Scalar s && s.value() instanceof String text) {
            id = text;
        } else if (node instanceof YamlNode.MapNode map) {
            YamlNode idNode = map.get("id");
            if (!(idNode instanceof YamlNode.Scalar s) || !(s.value() instanceof String text)) {
                binder.problem(node, path, "needs an 'id' naming the " + kind.label() + " (known: " + known(kind) + ")");
                return null;
            }
            id = text;
            rest.putAll(map.entries());
            rest.remove("id");
        } else {
            binder.problem(node, path, "expected a " + kind.label() + " id or {id: ..., options}, got " + node.describe());
            return null;
        }
        if (kind == PluginKind.ENGINE && registry.find(kind, id).isEmpty()
                && registry.knownDevices().contains(PluginRegistry.deviceKind(id))) {
            ComputeEngine<?> best = bestEngineFor(id, node, path, binder);
            if (best == null) {
                return null;
            }
            rest.put("device", new YamlNode.Entry(node.location(), new YamlNode.Scalar(node.location(), id)));
            id = best.id();
        }
        Plugin<?> plugin = registry.find(kind, id).orElse(null);
        if (plugin == null) {
            binder.problem(node, path, "unknown " + kind.label() + " '" + id + "'"
                    + Suggestions.didYouMean(id, registry.of(kind).keySet()) + " (known: " + known(kind) + ")");
            return null;
        }
        YamlNode.MapNode restMap = new YamlNode.MapNode(node.location(), rest);
        Class<? extends Record> settingsType = settingsType(kind);
        Set<String> settingsKeys = new HashSet<>();
        for (var c : settingsType.getRecordComponents()) {
            settingsKeys.add(Binder.keyOf(c));
        }
        Record settings = binder.bindSubset(restMap, settingsType, path);
        Map<String, YamlNode.Entry> optionEntries = new LinkedHashMap<>(rest);
        optionEntries.keySet().removeAll(settingsKeys);
        Record options = binder.bind(new YamlNode.MapNode(node.location(), optionEntries), plugin.optionsType(), path);
        if (settings == null || options == null) {
            return null;
        }
        if (settings instanceof EngineSettings engineSettings && !checkDevice((ComputeEngine<?>) plugin,
                engineSettings.device(), node, path, binder)) {
            return null;
        }
        return new PluginRef(kind, id, plugin, options, settings, node.location());
    }

    static Class<? extends Record> settingsType(PluginKind kind) {
        return switch (kind) {
            case ENGINE -> EngineSettings.class;
            case DATASET -> DatasetSettings.class;
            default -> NoOptions.class;
        };
    }

    private ComputeEngine<?> bestEngineFor(String device, YamlNode node, String path, Binder binder) {
        List<String> reasons = new ArrayList<>();
        for (ComputeEngine<?> engine : registry.enginesFor(device)) {
            Availability a = engine.availability(device);
            if (a.available()) {
                return engine;
            }
            reasons.add(engine.id() + ": " + a.reason());
        }
        binder.problem(node, path, "no engine is available for device '" + device + "' (" + String.join("; ", reasons) + ")");
        return null;
    }

    private static boolean checkDevice(ComputeEngine<?> engine, String device, YamlNode node, String path, Binder binder) {
        if (!engine.devices().contains(PluginRegistry.deviceKind(device))) {
            binder.problem(node, path, "engine '" + engine.id() + "' has no device '" + device + "' (it has: "
                    + String.join(", ", engine.devices()) + ")");
            return false;
        }
        return true;
    }

    /**
     * Whether the engine can use its device on this machine; checked only when the executor runs trials here (a
     * driver without a GPU may send GPU trials to a cluster).
     */
    private static void checkAvailable(PluginRef engineRef, List<Problem> problems) {
        ComputeEngine<?> engine = engineRef.as(ComputeEngine.class);
        String device = engineRef.settings(EngineSettings.class).device();
        Availability a = engine.availability(device);
        if (!a.available()) {
            problems.add(new Problem(engineRef.location(), "engine", "engine '" + engine.id() + "' cannot use device '"
                    + device + "' here: " + a.reason()));
        }
    }

    private String known(PluginKind kind) {
        return registry.of(kind).isEmpty() ? "none installed" : String.join(", ", registry.of(kind).keySet());
    }

    static Object structure(YamlNode node, String path, Binder binder) {
        if (node instanceof YamlNode.Scalar s && s.value() instanceof String text) {
            String t = text.trim().toLowerCase(java.util.Locale.ROOT);
            Matcher m = N_OF_M.matcher(t);
            try {
                if (m.matches()) {
                    return new Structure.NOfM(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                }
            } catch (IllegalArgumentException e) {
                binder.problem(node, path, e.getMessage());
                return null;
            }
            if (t.equals("unstructured")) {
                return new Structure.Unstructured();
            }
            Optional<GroupKind> kind = GroupKinds.named(t);
            if (kind.isPresent()) {
                return new Structure.Groups(kind.get().unit());
            }
            List<String> names = new ArrayList<>(List.of("unstructured"));
            GroupKinds.all().forEach(k -> names.add(k.name()));
            binder.problem(node, path, "unknown structure '" + text + "'" + Suggestions.didYouMean(t, names)
                    + " (allowed: unstructured, N:M such as 2:4, " + String.join(", ", names.subList(1, names.size()))
                    + ")");
            return null;
        }
        if (node instanceof YamlNode.MapNode map) {
            NOfMSection nm = binder.bind(map, NOfMSection.class, path);
            if (nm == null) {
                return null;
            }
            try {
                return new Structure.NOfM(nm.n(), nm.m());
            } catch (IllegalArgumentException e) {
                binder.problem(node, path, e.getMessage());
                return null;
            }
        }
        binder.problem(node, path, "expected unstructured, N:M or {n: 2, m: 4}, or one of "
                + String.join(", ", GroupKinds.all().stream().map(GroupKind::name).toList()) + ", got "
                + node.describe());
        return null;
    }

    /**
     * The mapping form of an N:M structure.
     *
     * @param n kept per group
     * @param m group size
     */
    record NOfMSection(@dev.bonsai.api.options.Range(min = 1) int n, @dev.bonsai.api.options.Range(min = 2) int m) {
    }
}
