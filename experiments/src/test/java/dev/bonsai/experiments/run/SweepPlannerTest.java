package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.DescriptorReader;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.plugins.PluginRef;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepPlannerTest {
    private static final DescriptorReader READER = new DescriptorReader(Bonsai.create().plugins());
    private static final String BASE = """
            name: t
            seeds: [1, 2]
            dataset: {id: synthetic}
            model: {id: mlp}
            train: {epochs: 1}
            prune: {strategies: [magnitude, random], sparsities: [0.5, 0.9]}
            """;

    /** The id of BASE's first trial, pinned: runs written with it resume (more in {@link TrialKeyTest}). */
    private static final String FIRST_ID_OF_BASE = "72947ca273d758b5";

    private static List<TrialSpec> plan(String yaml) {
        return SweepPlanner.plan(READER.read(Path.of("t.yaml"), yaml, List.of()));
    }

    @Test
    void expandsSeedsStrategiesAndSparsitiesInOrderWithDistinctIds() {
        List<TrialSpec> trials = plan(BASE);
        assertThat(trials).hasSize(8);
        assertThat(trials.get(0)).extracting(TrialSpec::seed, TrialSpec::strategyLabel, TrialSpec::sparsity)
                .containsExactly(1L, "magnitude", 0.5);
        assertThat(trials.get(7)).extracting(TrialSpec::seed, TrialSpec::strategyLabel, TrialSpec::sparsity)
                .containsExactly(2L, "random", 0.9);
        assertThat(trials.stream().map(TrialSpec::id).distinct()).hasSize(8);
    }

    @Test
    void recipesAreADimensionWhoseIdsKeepTheOtherTrialsAndDependOnTheTeacher() {
        String distilled = BASE + """
                distill:
                  recipes: [none, {id: hinton, temperature: 20}, {id: hinton, temperature: 4}]
                  teacher: {model: {id: mlp, hidden: [64]}}
                """;
        List<TrialSpec> trials = plan(distilled);
        assertThat(trials).hasSize(24);
        assertThat(trials.subList(0, 12).stream().map(TrialSpec::recipeLabel).distinct())
                .containsExactly("none", "hinton(temperature=20.0)", "hinton(temperature=4.0)");
        assertThat(trials.stream().map(TrialSpec::id).distinct()).hasSize(24);
        // adding a recipe keeps the ids of the others; changing the teacher changes them all
        List<String> ids = trials.stream().map(TrialSpec::id).toList();
        assertThat(plan(distilled.replace("{id: hinton, temperature: 4}]", "{id: hinton, temperature: 4}, "
                + "logit-mse]")).stream().map(TrialSpec::id)).containsAll(ids);
        assertThat(plan(distilled.replace("hidden: [64]", "hidden: [65]")).stream().map(TrialSpec::id))
                .doesNotContainAnyElementsOf(ids);
        // without a distill section, trials have no recipe
        assertThat(plan(BASE)).allSatisfy(t -> assertThat(t.recipe()).isEmpty());
        assertThat(plan(distilled.replace("recipes: [none, {id: hinton, temperature: 20}, {id: hinton, temperature: 4}]",
                "recipe: none")).stream().map(TrialSpec::id)).doesNotContainAnyElementsOf(
                        plan(BASE).stream().map(TrialSpec::id).toList());
    }

    @Test
    void aStrategyListedTwiceIsLabelledByTheOptionsThatTellItApart() {
        List<TrialSpec> trials = plan(BASE.replace("strategies: [magnitude, random]",
                "strategies: [magnitude, {id: obd, curvature: hutchinson}, {id: obd, curvature: empirical-fisher}]"));
        assertThat(trials.stream().map(TrialSpec::strategyLabel).distinct())
                .containsExactly("magnitude", "obd(curvature=hutchinson)", "obd(curvature=empirical-fisher)");
    }

    @Test
    void idsIgnoreSpellingButNotSubstance() {
        List<TrialSpec> base = plan(BASE);
        String reordered = """
                model: {id: mlp, hidden: [300, 100]}
                name: t
                train: {batch: 128, epochs: 1}
                engine: cpu
                seeds: [2, 1]
                dataset: {id: synthetic}
                prune: {sparsities: [0.9, 0.5], strategies: [random, magnitude], scope: global}
                report: [csv]
                """;
        assertThat(plan(reordered).stream().map(TrialSpec::id)).containsExactlyInAnyOrderElementsOf(
                base.stream().map(TrialSpec::id).toList());
        assertThat(plan(BASE.replace("epochs: 1", "epochs: 2")).get(0).id()).isNotEqualTo(base.get(0).id());
        // saving checkpoints or samples changes what a run writes, not what a trial computes
        assertThat(plan(BASE + "checkpoints: {save: true}\nsamples: {count: 2}\n").stream().map(TrialSpec::id))
                .containsExactlyElementsOf(base.stream().map(TrialSpec::id).toList());
        assertThat(plan(BASE.replace("{id: mlp}", "{id: mlp, hidden: [10]}")).get(0).id()).isNotEqualTo(base.get(0).id());
        // an option set away from its default changes the ids
        assertThat(plan(BASE.replace("epochs: 1", "epochs: 1, max_norm: 3")).get(0).id()).isNotEqualTo(base.get(0).id());
    }

    @Test
    void everyTrialRunsOnEveryEngineAndOneEngineKeepsItsIds() {
        ExperimentDescriptor one = READER.read(Path.of("t.yaml"), BASE, List.of());
        PluginRef djl = one.engine().get(0);
        PluginRef twin = new PluginRef(djl.kind(), "twin", djl.plugin(), djl.options(), djl.settings(), djl.location());
        ExperimentDescriptor two = new ExperimentDescriptor(one.name(), one.seeds(), List.of(djl, twin), one.dataset(),
                one.model(), one.train(), one.prune(), one.distill(), one.report(), one.executor(), one.resources(),
                one.plugins(), one.checkpoints(), one.samples());
        List<TrialSpec> single = SweepPlanner.plan(one);
        List<TrialSpec> both = SweepPlanner.plan(two);
        assertThat(both).hasSize(16);
        assertThat(both.subList(0, 8)).allMatch(t -> t.engine() == djl);
        assertThat(both.subList(8, 16)).allMatch(t -> t.engine() == twin);
        assertThat(both.subList(0, 8).stream().map(TrialSpec::id)).containsExactlyElementsOf(
                single.stream().map(TrialSpec::id).toList());
        assertThat(both.stream().map(TrialSpec::id).distinct()).hasSize(16);
        assertThat(plan(BASE + "engine: [cpu]\n").stream().map(TrialSpec::id)).containsExactlyElementsOf(
                single.stream().map(TrialSpec::id).toList());
    }

    @Test
    void aSensitivityAnalysisHasATrialPerLayerAndLeavesOtherIdsAlone() {
        ExperimentDescriptor d = READER.read(Path.of("t.yaml"), BASE.replace("sparsities: [0.5, 0.9]}",
                "sparsities: [0.5, 0.9], sensitivity: true}"), List.of());
        List<TrialSpec> trials = SweepPlanner.plan(d, List.of("fc1", "fc2"));
        assertThat(trials).hasSize(2 * 2 * 2 * 2);
        assertThat(trials.subList(0, 4)).extracting(t -> t.layer().orElseThrow(), TrialSpec::sparsity)
                .containsExactly(tuple("fc1", 0.5), tuple("fc1", 0.9),
                        tuple("fc2", 0.5), tuple("fc2", 0.9));
        assertThat(trials.stream().map(TrialSpec::id).distinct()).hasSize(16);
        assertThat(trials.stream().map(TrialSpec::id)).doesNotContainAnyElementsOf(
                plan(BASE).stream().map(TrialSpec::id).toList());
        assertThatThrownBy(() -> SweepPlanner.plan(d))
                .isInstanceOf(IllegalStateException.class);
        // spelling out a default leaves the ids unchanged
        assertThat(plan(BASE.replace("sparsities: [0.5, 0.9]}", "sparsities: [0.5, 0.9], sensitivity: false}")))
                .extracting(TrialSpec::id).containsExactlyElementsOf(plan(BASE).stream().map(TrialSpec::id).toList());
        assertThat(plan(BASE).get(0).id()).isEqualTo(FIRST_ID_OF_BASE);
    }
}
