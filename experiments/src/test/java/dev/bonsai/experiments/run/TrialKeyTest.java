package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.Plugin;
import dev.bonsai.api.Spi;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor.PruneSection;
import dev.bonsai.experiments.plugins.PluginRef;
import dev.bonsai.reports.store.ResultsStore;
import dev.bonsai.strategies.obd.Curvature;
import dev.bonsai.strategies.obd.ObdOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trial ids and teacher hashes stay what they are: the ids of the examples are pinned (runs written with them
 * resume), an option added with a default changes no id, and a folder of records with those ids resumes without
 * running a trial.
 */
class TrialKeyTest {
    private static final Bonsai BONSAI = Bonsai.create();
    private static final String BASE = """
            name: t
            seeds: [1, 2]
            dataset: {id: synthetic}
            model: {id: mlp}
            train: {epochs: 1}
            prune: {strategies: [magnitude, random], sparsities: [0.5, 0.9]}
            """;

    private static ExperimentDescriptor example(String name) {
        return BONSAI.read(Path.of("..", "examples", name + ".yaml"), List.of());
    }

    private static List<String> ids(ExperimentDescriptor descriptor) {
        return SweepPlanner.plan(descriptor, List.of("fc1", "fc2", "fc3")).stream().map(TrialSpec::id).toList();
    }

    private static List<String> ids(String yaml) {
        return ids(BONSAI.read(Path.of("t.yaml"), yaml, List.of()));
    }

    /** The first 16 hex digits of the SHA-256 of the ids, one per line: pins a long list in one literal. */
    private static String digest(List<String> ids) {
        return Canonical.sha256(String.join("\n", ids)).substring(0, 16);
    }

    @Test
    void theExamplesKeepTheirTrialIds() {
        assertThat(ids(example("quickstart"))).containsExactly("638d47a4e3bd76ce", "1aa828b6f3afb292");
        assertThat(ids(example("channels-lenet5"))).containsExactly("c576962034d59c31", "50f9c175bc5850f0");
        assertThat(ids(example("hinton2015-mnist"))).containsExactly("56eb3eaa79c0d60d", "3624c8c05a09e49c",
                "b7d3cc34a55dfa76", "81f4a9468e1e7ef2", "3607ecffa06e5989", "b79b85c1acf58e2e");
        assertThat(ids(example("prune-distill-mnist"))).containsExactly("eaea0c86e9fb8f5b", "999912352a56e996",
                "37306990e024f8cb", "15e26f9f9f73419c", "1ce06c8dd22209cd", "5aa1b30a03616aab", "dbe69d95fa54b222",
                "562359dbb5d40133", "144dbfbcd8a0f25d", "58cd1ef2a249225d", "b1e5e736b5a43415", "23879dfac339038c",
                "3ee75ebab80a158e", "5f60396e86d30d38", "7bc47f27b6773567", "cb2f347f7fa6c920", "43b6fd2130b0ee4f",
                "a861426a2c30a843");
        assertThat(ids(example("han2015-lenet300"))).containsExactly("aa6d64abc0e2f8c3", "2d809953c2353aa7",
                "57a31410ae09b03e", "c879a829a588910d", "df087f3c10e3ef3a", "8f1730d79db64b9a", "5ee591a2fa0aecc4",
                "ccd13b305ebbdb64", "c155080250adc672");
        assertThat(ids(example("char-gpt-shakespeare"))).containsExactly("83528fee29721a78");
        assertThat(ids(example("distill-char-gpt"))).containsExactly("5fabddd6d701b9ce", "196a1233fce1e2b0",
                "341c0f2469f30728", "b7bc2552a9619768");
        List<String> strategies = ids(example("strategies-lenet300"));
        assertThat(strategies).hasSize(162).startsWith("a04f008e21c2f9c4", "4f395320666d358b")
                .endsWith("574750d206f936fc");
        assertThat(digest(strategies)).isEqualTo("dec72ec5e5ddd5e8");
        List<String> sensitivity = ids(example("sensitivity-lenet300")); // with layers fc1, fc2, fc3
        assertThat(sensitivity).hasSize(126).startsWith("ca1401361fbc79fd").endsWith("96f19fc1a10ffc57");
        assertThat(digest(sensitivity)).isEqualTo("51305c63189530cb");
    }

    @Test
    void theExamplesKeepTheirTeacherHashes() {
        assertThat(teacherHash(example("hinton2015-mnist"))).isEqualTo("210e69b0b191e6ed");
        assertThat(teacherHash(example("prune-distill-mnist"))).isEqualTo("977dbd5d71d72d39");
        assertThat(teacherHash(example("distill-char-gpt"))).isEqualTo("f1a2c49bb48d4c01");
    }

    /** The hash of the teacher of a descriptor's first seed, with fixed stand-ins for the dataset's file hashes. */
    private static String teacherHash(ExperimentDescriptor d) {
        Dataset synthetic = SyntheticDataset.load("x", Shape.of(4), 16, 16);
        Dataset data = new Dataset(new DatasetInfo(d.dataset().id(), Shape.of(4), 2, Map.of("train", "aa", "test", "bb")),
                synthetic.train(), synthetic.validation(), synthetic.test());
        Teachers teachers = new Teachers(d, Path.of("out"), Path.of("t.yaml"), data, new LogProgress());
        ExperimentDescriptor.TeacherSection teacher = d.distill().orElseThrow().teacher().orElseThrow();
        return teachers.hash(teacher.engine().orElse(d.engine().get(0)), teacher.seed().orElse(d.seeds().get(0)),
                teacher.train().orElse(d.train()));
    }

    @Test
    void optionsAddedAfterTheFrozenListKeepTheIdsTheyHadWhenLeftOutOrAtTheirDefault() {
        assertThat(ids(BASE)).containsExactly("72947ca273d758b5", "f7dea0652ed14bb5", "ed9d3844c171d77b",
                "9d36161e6ab59b2f", "76f90bb13929828f", "6068c416ff4202e6", "c0307cff7b270de7", "cc2d8cf8c83199e3");
        // prune.sensitivity, train.augment and train.max_norm are left out at their default (false, absent)
        assertThat(ids(BASE.replace("0.9]}", "0.9], sensitivity: false}"))).isEqualTo(ids(BASE));
        assertThat(ids(BASE.replace("epochs: 1}", "epochs: 1, augment: {shift: 1}, max_norm: 3}"))).startsWith(
                "63f70e3bbe389499", "ce6a5f3090a5a3e9");
    }

    @Test
    void aPluginNamedByItsAliasKeepsTheIdsItHadUnderThatName() {
        String lottery = BASE.replace("0.9]}", "0.9], schedule: {id: lottery, rounds: 3}}");
        assertThat(ids(lottery)).startsWith("d5f95ad26e908c77", "f785ea30439ea2f5");
        assertThat(ids(BASE.replace("0.9]}", "0.9], schedule: lottery}"))).startsWith("f6f72212945e1275");
        assertThat(ids(BASE.replace("0.9]}", "0.9], schedule: lottery-ticket}"))).startsWith("b6be9f2cfb811444");
        ExperimentDescriptor d = BONSAI.read(Path.of("t.yaml"), lottery, List.of());
        PluginRef schedule = d.prune().orElseThrow().schedule();
        assertThat(schedule.id()).isEqualTo("lottery");
        assertThat(schedule.plugin().id()).isEqualTo("lottery-ticket");
    }

    /** {@link ObdOptions} with one option more, as if {@code obd} gained an option with a default. */
    public record ObdWithOneMoreOption(Curvature curvature, int samples, int exactLimit,
            @DefaultValue("0.25") double added) {
    }

    /** {@code obd} with {@link ObdWithOneMoreOption}: only its id and options matter to trial keys. */
    private static final class ObdWithOneMore implements Plugin<ObdWithOneMoreOption> {
        @Override
        public String id() {
            return "obd";
        }

        @Override
        public String description() {
            return "obd with an added option (tests only)";
        }

        @Override
        public Class<ObdWithOneMoreOption> optionsType() {
            return ObdWithOneMoreOption.class;
        }

        @Override
        public int spiVersion() {
            return Spi.VERSION;
        }
    }

    @Test
    void anOptionAddedWithADefaultLeavesEveryIdUnchanged() {
        ExperimentDescriptor d = BONSAI.read(Path.of("t.yaml"), BASE.replace("[magnitude, random]",
                "[magnitude, {id: obd, curvature: hutchinson, samples: 4}]"), List.of());
        PluginRef obd = d.prune().orElseThrow().strategies().get(1);
        ObdOptions o = (ObdOptions) obd.options();
        List<String> before = ids(d);

        ExperimentDescriptor atDefault = withSecondStrategy(d, new PluginRef(obd.kind(), obd.id(), new ObdWithOneMore(),
                new ObdWithOneMoreOption(o.curvature(), o.samples(), o.exactLimit(), 0.25), obd.settings(),
                obd.location()));
        assertThat(ids(atDefault)).isEqualTo(before);

        ExperimentDescriptor changed = withSecondStrategy(d, new PluginRef(obd.kind(), obd.id(), new ObdWithOneMore(),
                new ObdWithOneMoreOption(o.curvature(), o.samples(), o.exactLimit(), 0.5), obd.settings(),
                obd.location()));
        List<String> after = ids(changed);
        assertThat(after.subList(0, 2)).isEqualTo(before.subList(0, 2)); // magnitude's trials of seed 1
        assertThat(after.get(2)).isNotEqualTo(before.get(2)); // obd's
        assertThat(after.stream().filter(before::contains)).hasSize(4);
    }

    private static ExperimentDescriptor withSecondStrategy(ExperimentDescriptor d, PluginRef strategy) {
        PruneSection p = d.prune().orElseThrow();
        PruneSection prune = new PruneSection(List.of(p.strategies().get(0), strategy), p.scope(), p.structure(),
                p.sparsities(), p.schedule(), p.finetune(), p.calibration(), p.exclude(), p.overrides(),
                p.sensitivity());
        return new ExperimentDescriptor(d.name(), d.seeds(), d.engine(), d.dataset(), d.model(), d.train(),
                Optional.of(prune), d.distill(), d.report(), d.executor(), d.resources(), d.plugins(), d.checkpoints(),
                d.samples());
    }

    @Test
    void aFolderOfRecordsWithThePinnedIdsResumesWithoutRunningATrial(@TempDir Path dir) throws Exception {
        String yaml = BASE + "report: [csv]\n";
        Path file = dir.resolve("resumed.yaml");
        Files.writeString(file, yaml);
        Path out = dir.resolve("out");
        List<String> pinned = List.of("72947ca273d758b5", "f7dea0652ed14bb5", "ed9d3844c171d77b", "9d36161e6ab59b2f",
                "76f90bb13929828f", "6068c416ff4202e6", "c0307cff7b270de7", "cc2d8cf8c83199e3");
        ResultsStore store = ResultsStore.in(out);
        for (int i = 0; i < pinned.size(); i++) {
            // records as they were written before they carried the key's version
            store.append(new TrialRecord("t", pinned.get(i), TrialRecord.OK, null, "mlp", "synthetic",
                    i % 4 < 2 ? "magnitude" : "random", "global", "unstructured", "one-shot", i % 2 == 0 ? 0.5 : 0.9,
                    i % 2 == 0 ? 0.5 : 0.9, 100, i % 2 == 0 ? 50 : 10, i < 4 ? 1 : 2, "djl", "cpu",
                    Map.of("test_accuracy", 0.5 + i / 100.0), Map.of("total", 1.0), Map.of("descriptor_hash", "x")));
        }
        ExperimentDescriptor d = BONSAI.read(file, List.of());
        ExperimentRunner.RunSummary summary = BONSAI.run(d,
                new RunOptions(file, out, Optional.empty(), true, List.of()), new LogProgress());

        assertThat(summary.fresh()).isEmpty();
        assertThat(summary.records()).extracting(TrialRecord::trialId).containsExactlyInAnyOrderElementsOf(pinned);
        assertThat(summary.records()).allSatisfy(r -> assertThat(TrialKey.versionOf(r)).isEqualTo(1));
        assertThat(ResultsStore.in(out).read()).hasSize(8);

        // a sparsity more runs only its own trials, whose records carry the key's version
        Files.writeString(file, yaml.replace("[0.5, 0.9]", "[0.5, 0.9, 0.7]"));
        ExperimentRunner.RunSummary wider = BONSAI.run(BONSAI.read(file, List.of()),
                new RunOptions(file, out, Optional.empty(), true, List.of()), new LogProgress());
        assertThat(wider.fresh()).hasSize(4).allSatisfy(r -> {
            assertThat(r.targetSparsity()).isEqualTo(0.7);
            assertThat(r.provenance()).containsEntry(TrialKey.PROVENANCE_FIELD, Integer.toString(TrialKey.VERSION));
        });
        assertThat(wider.records()).hasSize(12);
    }

    @Test
    void recordsCarryTheKeysVersionAndRecordsWithoutItAreOfVersionOne() {
        TrialRecord without = new TrialRecord("t", "72947ca273d758b5", TrialRecord.OK, null, "mlp", "synthetic",
                "magnitude", "global", "unstructured", "one-shot", 0.5, 0.5, 100, 50, 1, "djl", "cpu", Map.of(),
                Map.of(), Map.of());
        assertThat(TrialKey.versionOf(without)).isEqualTo(1);
        TrialRecord with = new TrialRecord("t", "72947ca273d758b5", TrialRecord.OK, null, "mlp", "synthetic",
                "magnitude", "global", "unstructured", "one-shot", 0.5, 0.5, 100, 50, 1, "djl", "cpu", Map.of(),
                Map.of(), Map.of(TrialKey.PROVENANCE_FIELD, "7"));
        assertThat(TrialKey.versionOf(with)).isEqualTo(7);
        TrialRecord bad = new TrialRecord("t", "72947ca273d758b5", TrialRecord.OK, null, "mlp", "synthetic",
                "magnitude", "global", "unstructured", "one-shot", 0.5, 0.5, 100, 50, 1, "djl", "cpu", Map.of(),
                Map.of(), Map.of(TrialKey.PROVENANCE_FIELD, "one"));
        assertThatThrownBy(() -> TrialKey.versionOf(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("72947ca273d758b5").hasMessageContaining("'one'");
    }
}
