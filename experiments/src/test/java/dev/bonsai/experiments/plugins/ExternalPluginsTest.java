package dev.bonsai.experiments.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Plugin;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.cli.BonsaiCli;
import dev.bonsai.experiments.descriptor.DescriptorException;
import dev.bonsai.experiments.run.ExperimentRunner;
import dev.bonsai.experiments.run.LogProgress;
import dev.bonsai.experiments.run.RunOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** External plugin jars, built here at run time: discovery, isolation, and every refusal. */
class ExternalPluginsTest {
    @TempDir
    Path tmp;

    @Test
    void discoversPluginJarsInAFolderAndNamesTheirJar() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("plugins"));
        jar(folder.resolve("alpha.jar"), "alpha", "1", 1, "1.2.3");
        jar(folder.resolve("beta.jar"), "beta", "1", 1, null);

        DiscoveredPlugins found = discover(folder);

        Plugin<?> alpha = found.of(PluginKind.STRATEGY).get("alpha");
        assertThat(alpha).isNotNull();
        assertThat(found.of(PluginKind.STRATEGY)).containsKeys("beta", "magnitude");
        assertThat(DiscoveredPlugins.source(alpha)).endsWith("alpha.jar");
        assertThat(alpha.version()).isEqualTo("1.2.3");
        assertThat(alpha.getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
    }

    @Test
    void eachPluginSeesItsOwnCopyOfAHelperAndOfAHostLibrary() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("plugins"));
        jar(folder.resolve("one.jar"), "one", "1", 1, null);
        jar(folder.resolve("two.jar"), "two", "2", 1, null);

        Map<String, Plugin<?>> strategies = discover(folder).of(PluginKind.STRATEGY);

        // each bundles org.example.shared.Helper (version 1 or 2) and its own com.google.inject.Guice, which the
        // host also has (Guice 7, without a flavour() method): each sees its own
        assertThat(strategies.get("one").description()).isEqualTo("helper 1, guice plugin-1");
        assertThat(strategies.get("two").description()).isEqualTo("helper 2, guice plugin-2");
    }

    @Test
    void aFolderInsideThePluginsFolderIsOnePluginWithItsDependencies() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("plugins/with-deps"));
        Path built = tmp.resolve("build");
        compile(built, "deps", "3", 1);
        writeJar(folder.resolve("plugin.jar"), built, p -> !p.startsWith("org/example/shared"), true, null);
        writeJar(folder.resolve("helper.jar"), built, p -> p.startsWith("org/example/shared"), false, null);

        assertThat(discover(tmp.resolve("plugins")).of(PluginKind.STRATEGY).get("deps").description())
                .startsWith("helper 3");
    }

    @Test
    void refusesAPluginBuiltForAnotherSpiVersion() throws Exception {
        Path jar = jar(tmp.resolve("old.jar"), "old", "1", 99, null);

        assertThatThrownBy(() -> discover(jar)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("strategy plugin 'old'").hasMessageContaining("old.jar")
                .hasMessageContaining("SPI version 99").hasMessageContaining("SPI version " + dev.bonsai.api.Spi.VERSION)
                .hasMessageContaining("rebuild the plugin");
    }

    @Test
    void refusesTwoPluginsWithOneId() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("plugins"));
        jar(folder.resolve("a.jar"), "same", "1", 1, null);
        jar(folder.resolve("b.jar"), "same", "2", 1, null);

        assertThatThrownBy(() -> discover(folder)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("id 'same'").hasMessageContaining("a.jar").hasMessageContaining("b.jar")
                .hasMessageContaining("remove one");
    }

    @Test
    void refusesAnIdTakenByABuiltInPlugin() throws Exception {
        Path jar = jar(tmp.resolve("mine.jar"), "magnitude", "1", 1, null);

        assertThatThrownBy(() -> discover(jar)).hasMessageContaining("id 'magnitude'").hasMessageContaining("mine.jar");
    }

    @Test
    void refusesAMissingPathAndAJarWithoutServiceEntries() throws Exception {
        assertThatThrownBy(() -> discover(tmp.resolve("nowhere.jar"))).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("nowhere.jar").hasMessageContaining("does not exist");

        Path built = tmp.resolve("build");
        compile(built, "x", "1", 1);
        Path bare = writeJar(tmp.resolve("bare.jar"), built, p -> true, false, null);
        assertThatThrownBy(() -> discover(bare)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("bare.jar").hasMessageContaining("no META-INF/services entry");
    }

    @Test
    void namesTheJarWhenAClassFailsToLoad() throws Exception {
        Path built = tmp.resolve("build");
        compile(built, "broken", "1", 1);
        // the service entry names a class the jar does not hold
        Path jar = writeJar(tmp.resolve("broken.jar"), built, p -> !p.startsWith("org/example/pbroken"), true, null);

        assertThatThrownBy(() -> discover(jar)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("broken.jar").hasMessageContaining("org.example.pbroken.TestStrategy");
    }

    @Test
    void theCommandLineListsAnExternalPluginWithItsJarAndReportsErrorsWithoutAStackTrace() throws Exception {
        Path jar = jar(tmp.resolve("listed.jar"), "listed", "1", 1, "0.7");

        String out = cli("plugins", "--plugins", jar.toString());
        assertThat(out).contains("listed").contains("listed.jar").contains("0.7");

        String err = cli("plugins", "--plugins", tmp.resolve("missing").toString());
        assertThat(err).contains("does not exist").doesNotContain("\tat ");
    }

    @Test
    void aDescriptorListsPluginsRelativeToItsFolderAndAMissingOneIsReportedWithItsLine() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("exp"));
        jar(folder.resolve("listed.jar"), "listed", "1", 1, null);
        Path good = folder.resolve("good.yaml");
        Files.writeString(good, "name: x\nplugins: [listed.jar]\n");
        assertThat(Bonsai.forDescriptor(good, List.of(), List.of()).plugins().find(PluginKind.STRATEGY, "listed"))
                .isPresent();

        Path bad = folder.resolve("bad.yaml");
        Files.writeString(bad, "name: x\nplugins:\n  - listed.jar\n  - gone.jar\n");
        assertThatThrownBy(() -> Bonsai.forDescriptor(bad, List.of(), List.of()))
                .isInstanceOf(DescriptorException.class).hasMessageContaining("bad.yaml:4:5")
                .hasMessageContaining("gone.jar");
    }

    @Test
    void theCommandLineShowsTheOptionsOfAPluginFromAJar() throws Exception {
        Path jar = strategyJar(tmp.resolve("tuned.jar"), "tuned", "Set.of(Requirement.WEIGHTS)", "",
                "@Doc(\"share of weights to keep\") @DefaultValue(\"0.25\") @Range(min = 0, max = 1) double keep,"
                        + " @Doc(\"the rounds\") int rounds");

        String listed = cli("plugins", "--options", "--plugins", jar.toString(), "tuned");
        assertThat(listed).contains("strategy tuned (tuned.jar):")
                .containsPattern("keep +number +0\\.25 +in \\[0, 1\\] +share of weights to keep")
                .containsPattern("rounds +whole number +required +the rounds").doesNotContain("magnitude");

        String all = cli("plugins", "--options", "--plugins", jar.toString());
        assertThat(all).contains("strategy tuned (tuned.jar):").contains("strategy magnitude (");

        String reference = cli("reference", "--plugins", jar.toString());
        assertThat(reference).contains("### `tuned`", "From plugin jar `tuned.jar`",
                "| `keep` | number | `0.25` | in [0, 1] | share of weights to keep |",
                "| `rounds` | whole number | required |  | the rounds |");
        String schema = cli("reference", "--schema", "--plugins", jar.toString());
        assertThat(schema).contains("\"tuned\"").contains("share of weights to keep");

        String unknown = cli("plugins", "--plugins", jar.toString(), "no-such-plugin");
        assertThat(unknown).contains("no plugin has the id no-such-plugin").doesNotContain("\tat ");
    }

    @Test
    void aStrategyFromAJarThatAsksForAnUndeclaredCapabilityFailsNamingItsJarAndTheFix() throws Exception {
        Path jar = strategyJar(tmp.resolve("sneaky.jar"), "sneaky", "Set.of(Requirement.WEIGHTS)",
                "c.capability(dev.bonsai.api.engine.ActivationProbe.class);", "");

        ExperimentRunner.RunSummary summary = runTrial(jar, "sneaky");

        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.fresh()).singleElement().satisfies(r -> assertThat(r.error()).contains(
                "strategy 'sneaky' (plugin jar sneaky.jar) asked for capability ActivationProbe without declaring it:"
                        + " add Requirement.ACTIVATIONS to requirements(options)"));
    }

    @Test
    void aStrategyFromAJarGetsTheCapabilitiesItDeclaredAndNoOthers() throws Exception {
        // declares LAYER_INPUT_MAGNITUDES (and data): gets them; asks for a capability no requirement stands for
        Path declared = strategyJar(tmp.resolve("outliers.jar"), "outliers",
                "Set.of(Requirement.CALIBRATION_DATA, Requirement.LAYER_INPUT_MAGNITUDES)",
                "var m = c.capability(dev.bonsai.api.engine.LayerInputMagnitudeProbe.class)"
                        + ".inputMagnitudes(c.calibration(), 0.5);"
                        + " if (!m.keySet().equals(java.util.Set.of(\"fc1.weight\", \"fc2.weight\")))"
                        + " throw new IllegalStateException(\"magnitudes of \" + m.keySet());", "");
        assertThat(runTrial(declared, "outliers").failed()).isZero();

        Path unmapped = strategyJar(tmp.resolve("odd.jar"), "odd", "Set.of(Requirement.GRADIENTS)",
                "c.capability(dev.bonsai.api.engine.SquaredGradientProbe.class);", "");
        assertThat(runTrial(unmapped, "odd").fresh()).singleElement().satisfies(r -> assertThat(r.error())
                .contains("strategy 'odd' (plugin jar odd.jar) asked for capability"
                        + " dev.bonsai.api.engine.SquaredGradientProbe, which no Requirement stands for")
                .contains("GradientProbe (Requirement.GRADIENTS)"));
    }

    // --- building plugin jars at run time ---------------------------------------------------------------------

    /** One trial of strategy {@code id} from {@code jar} on synthetic data: a small MLP, one epoch, half pruned. */
    private ExperimentRunner.RunSummary runTrial(Path jar, String id) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("run-" + id));
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, """
                name: undeclared
                seeds: [1]
                engine: {id: djl, device: cpu}
                dataset: {id: synthetic, train: 64, test: 32, features: 8}
                model: {id: mlp, hidden: [8]}
                train: {optimizer: {id: sgd, lr: 0.1}, epochs: 1, batch: 16}
                prune:
                  strategies: [%s]
                  sparsities: [0.5]
                  finetune: {epochs: 0}
                """.formatted(id));
        Bonsai bonsai = Bonsai.withPlugins(List.of(jar));
        return bonsai.run(bonsai.read(file, List.of()), new RunOptions(file, dir.resolve("out"), Optional.empty(),
                true, List.of()), new LogProgress());
    }

    /**
     * A plugin jar with strategy {@code id}: it declares {@code requirements}, runs {@code body} (on context
     * {@code c}) when scoring, then scores every weight by its magnitude; {@code options} are the components of its
     * options record ({@code NoOptions} when blank).
     */
    private Path strategyJar(Path target, String id, String requirements, String body, String options)
            throws IOException {
        Path out = tmp.resolve("build-" + id);
        String pkg = "org.example.s" + id;
        String type = options.isBlank() ? "NoOptions" : "Strategy.Options";
        write(out.resolve("src/" + pkg.replace('.', '/') + "/Strategy.java"), "package " + pkg + ";\n"
                + "import dev.bonsai.api.NoOptions;\n"
                + "import dev.bonsai.api.Spi;\n"
                + "import dev.bonsai.api.options.*;\n"
                + "import dev.bonsai.api.prune.*;\n"
                + "import java.util.*;\n"
                + "public final class Strategy implements PruningStrategy<" + type + "> {\n"
                + (options.isBlank() ? "" : "  public record Options(" + options + ") {}\n")
                + "  public String id() { return \"" + id + "\"; }\n"
                + "  public String description() { return \"test strategy " + id + "\"; }\n"
                + "  public Class<" + type + "> optionsType() { return " + type + ".class; }\n"
                + "  public int spiVersion() { return Spi.VERSION; }\n"
                + "  public Set<Requirement> requirements(" + type + " o) { return " + requirements + "; }\n"
                + "  public Scores score(" + type + " o, PruningContext c) {\n"
                + "    " + body + "\n"
                + "    Map<String, float[]> s = new LinkedHashMap<>();\n"
                + "    for (var p : c.prunable()) {\n"
                + "      float[] w = c.weights().get(p.name()).data().clone();\n"
                + "      for (int i = 0; i < w.length; i++) { w[i] = Math.abs(w[i]); }\n"
                + "      s.put(p.name(), w);\n"
                + "    }\n"
                + "    return new Scores(s);\n"
                + "  }\n"
                + "}\n");
        write(out.resolve("classes/META-INF/services/dev.bonsai.api.prune.PruningStrategy"), pkg + ".Strategy\n");
        javac(out);
        return writeJar(target, out, p -> true, true, "2.1");
    }

    private static DiscoveredPlugins discover(Path location) {
        return DiscoveredPlugins.discover(ExternalPluginsTest.class.getClassLoader(), PluginBundle.at(List.of(location)));
    }

    private static String cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        try {
            System.setOut(capture);
            System.setErr(capture);
            BonsaiCli.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** A plugin jar with strategy {@code id}, its helper at {@code helper}, built for {@code spi}. */
    private Path jar(Path target, String id, String helper, int spi, String version) throws IOException {
        Path built = tmp.resolve("build-" + id + "-" + helper + "-" + target.getFileName());
        compile(built, id, helper, spi);
        return writeJar(target, built, p -> true, true, version);
    }

    private static void compile(Path out, String id, String helper, int spi) throws IOException {
        Path src = out.resolve("src");
        String pkg = "org.example.p" + id.replace('-', '_');
        write(src.resolve("org/example/shared/Helper.java"), "package org.example.shared;\n"
                + "public final class Helper { public static String version() { return \"" + helper + "\"; } }\n");
        write(src.resolve("com/google/inject/Guice.java"), "package com.google.inject;\n"
                + "public final class Guice { public static String flavour() { return \"plugin-" + helper + "\"; } }\n");
        write(src.resolve(pkg.replace('.', '/') + "/TestStrategy.java"), "package " + pkg + ";\n"
                + "import dev.bonsai.api.NoOptions;\n"
                + "import dev.bonsai.api.prune.*;\n"
                + "import java.util.Set;\n"
                + "public final class TestStrategy implements PruningStrategy<NoOptions> {\n"
                + "  public String id() { return \"" + id + "\"; }\n"
                + "  public String description() { return \"helper \" + org.example.shared.Helper.version()"
                + " + \", guice \" + com.google.inject.Guice.flavour(); }\n"
                + "  public Class<NoOptions> optionsType() { return NoOptions.class; }\n"
                + "  public int spiVersion() { return " + spi + "; }\n"
                + "  public Set<Requirement> requirements(NoOptions o) { return Set.of(Requirement.WEIGHTS); }\n"
                + "  public Scores score(NoOptions o, PruningContext c) { return new Scores(java.util.Map.of()); }\n"
                + "}\n");
        write(out.resolve("classes/META-INF/services/dev.bonsai.api.prune.PruningStrategy"), pkg + ".TestStrategy\n");
        javac(out);
    }

    /** Compiles every source under {@code out/src} into {@code out/classes}, against Bonsai's API only. */
    private static void javac(Path out) throws IOException {
        Path src = out.resolve("src");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", out.resolve("classes").toString(), "-classpath", apiLocation(),
                "-proc:none"));
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        assertThat(rc).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();
    }

    private static String apiLocation() {
        try {
            return Path.of(Plugin.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path writeJar(Path target, Path built, java.util.function.Predicate<String> include,
            boolean services, String version) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (version != null) {
            manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        }
        Path classes = built.resolve("classes");
        Files.createDirectories(target.getParent());
        try (OutputStream file = Files.newOutputStream(target);
                JarOutputStream jar = new JarOutputStream(file, manifest);
                Stream<Path> all = Files.walk(classes)) {
            for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
                String name = classes.relativize(p).toString().replace('\\', '/');
                if (name.startsWith("META-INF/services/") ? !services : !include.test(name)) {
                    continue;
                }
                jar.putNextEntry(new JarEntry(name));
                jar.write(Files.readAllBytes(p));
                jar.closeEntry();
            }
        }
        return target;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
