package dev.bonsai.experiments.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.plugins.DatasetSettings;
import dev.bonsai.experiments.plugins.EngineSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DescriptorReaderTest {
    private static final Path FILE = Path.of("test.yaml");
    private static final Bonsai BONSAI = Bonsai.create();

    private static final String VALID = """
            name: t
            seeds: [1, 2]
            engine: {id: djl, device: cpu}
            dataset: {id: mnist, validation: 5000}
            model: {id: mlp, hidden: [32]}
            train: {optimizer: {id: sgd, lr: 0.05}, epochs: 2}
            prune:
              strategies: [magnitude, {id: random}]
              scope: layerwise
              sparsities: [0.5, 0.9]
            """;

    private static ExperimentDescriptor read(String yaml, String... overrides) {
        DescriptorReader reader = new DescriptorReader(BONSAI.plugins());
        return reader.read(FILE, yaml, List.of(overrides));
    }

    private static List<Problem> problems(String yaml, String... overrides) {
        try {
            read(yaml, overrides);
        } catch (DescriptorException e) {
            return e.problems();
        }
        throw new AssertionError("expected the descriptor to be refused");
    }

    @Test
    void bindsAValidDescriptorWithDefaults() {
        ExperimentDescriptor d = read(VALID);
        assertThat(d.seeds()).containsExactly(1L, 2L);
        assertThat(d.engine().get(0).id()).isEqualTo("djl");
        assertThat(d.engine().get(0).settings(EngineSettings.class).device()).isEqualTo("cpu");
        assertThat(d.dataset().settings(DatasetSettings.class).validation()).isEqualTo(5000);
        assertThat(d.train().batch()).isEqualTo(128);
        assertThat(d.train().optimizer()).isEqualTo(new OptimizerSection.Sgd(0.05, 0.9, false, 0));
        assertThat(d.prune().orElseThrow().strategies()).extracting(r -> r.id()).containsExactly("magnitude", "random");
        assertThat(d.prune().orElseThrow().scope()).isEqualTo(Scope.LAYERWISE);
        assertThat(d.prune().orElseThrow().structure()).isEqualTo(new Structure.Unstructured());
        assertThat(d.prune().orElseThrow().schedule().id()).isEqualTo("one-shot");
        assertThat(d.prune().orElseThrow().finetune().epochs()).isEqualTo(2);
        assertThat(d.report()).extracting(r -> r.id()).containsExactly("markdown", "html", "csv");
    }

    @Test
    void reportsAMisspeltKeyAnOutOfRangeSparsityAndAnUnknownStrategyTogether() {
        List<Problem> problems = problems("""
                name: t
                engine: {id: djl, device: cpu}
                dataset: {id: mnist}
                model: {id: lenet-300-100}
                train: {epochs: 1}
                prune:
                  strategies: [magnitude, obdd]
                  sparsites: [0.5]
                  sparsities: [1.5]
                """);
        assertThat(problems).hasSize(3);
        assertThat(problems.get(0).location()).isEqualTo(new Location(7, 27));
        assertThat(problems.get(0).message()).contains("unknown strategy 'obdd'", "magnitude", "random");
        assertThat(problems.get(1).location().line()).isEqualTo(8);
        assertThat(problems.get(1).message()).contains("unknown key 'sparsites'", "did you mean 'sparsities'");
        assertThat(problems.get(2).location().line()).isEqualTo(9);
        assertThat(problems.get(2).path()).isEqualTo("prune.sparsities[0]");
        assertThat(problems.get(2).message()).contains("1.5", "[0, 1)");
    }

    @Test
    void theExceptionMessageNamesFileLineAndColumnOfEveryProblem() {
        assertThatThrownBy(() -> read(VALID.replace("epochs: 2", "epochs: -1").replace("seeds: [1, 2]", "seeds: [1, x]")))
                .isInstanceOf(DescriptorException.class)
                .hasMessageContaining("2 errors in test.yaml")
                .hasMessageContaining("test.yaml:2:")
                .hasMessageContaining("test.yaml:6:")
                .hasMessageContaining("must be ≥ 0");
    }

    @Test
    void maxNormIsOffUnlessGivenAndMustBePositive() {
        assertThat(read(VALID).train().maxNorm()).isEmpty();
        assertThat(read(VALID, "train.max_norm=3.5").train().maxNorm()).contains(3.5);
        List<Problem> problems = problems(VALID.replace("epochs: 2}", "epochs: 2, max_norm: 0}"));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("train.max_norm");
            assertThat(p.location().line()).isEqualTo(6);
            assertThat(p.message()).contains("> 0");
        });
    }

    @Test
    void refusesWrongTypesNonPositiveBatchAndMissingSections() {
        List<Problem> problems = problems("""
                name: t
                seeds: 1
                dataset: mnist
                train: {epochs: two, batch: 0}
                """);
        assertThat(problems).extracting(Problem::path)
                .containsExactlyInAnyOrder("seeds", "train.epochs", "train.batch", "model");
        assertThat(problems).filteredOn(p -> p.path().equals("model")).first()
                .extracting(Problem::message).asString().contains("missing required key 'model'");
        assertThat(problems).filteredOn(p -> p.path().equals("train.epochs")).first()
                .extracting(Problem::message).asString().contains("expected a whole number", "'two'");
    }

    @Test
    void theNameMustBeUsableAsAFolderName() {
        assertThat(problems(VALID.replace("name: t", "name: ../escape"))).singleElement()
                .extracting(Problem::message).asString().contains("names the output folder");
    }

    @Test
    void unknownPluginOptionsAreRejectedWithTheAllowedKeys() {
        List<Problem> problems = problems(VALID.replace("{id: mlp, hidden: [32]}", "{id: mlp, hiden: [32]}"));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("model.hiden");
            assertThat(p.message()).contains("did you mean 'hidden'", "allowed: hidden");
        });
    }

    @Test
    void unknownEngineDeviceAndOptimizerAreRefused() {
        assertThat(problems(VALID.replace("device: cpu", "device: tpu")))
                .singleElement().extracting(Problem::message).asString().contains("no device 'tpu'", "cpu");
        assertThat(problems(VALID.replace("id: sgd", "id: sgdd")))
                .singleElement().extracting(Problem::message).asString().contains("did you mean 'sgd'", "adam");
    }

    @Test
    void anUnavailableDeviceFailsValidationWithTheEnginesReason() {
        var djl = (dev.bonsai.api.engine.ComputeEngine<?>) BONSAI.plugins()
                .find(dev.bonsai.experiments.plugins.PluginKind.ENGINE, "djl").orElseThrow();
        org.junit.jupiter.api.Assumptions.assumeFalse(djl.availability("cuda").available(), "this machine has CUDA");
        String reason = djl.availability("cuda").reason();
        assertThat(problems(VALID.replace("device: cpu", "device: cuda"))).singleElement()
                .extracting(Problem::message).asString().contains("cannot use device 'cuda'", reason);
        assertThat(problems(VALID.replace("engine: {id: djl, device: cpu}", "engine: cuda"))).singleElement()
                .extracting(Problem::message).asString().contains("no engine is available for device 'cuda'", reason);
    }

    @Test
    void engineTakesOneEngineOrAListButNotTheSameEngineTwice() {
        ExperimentDescriptor listed = read(VALID.replace("engine: {id: djl, device: cpu}",
                "engine: [{id: djl, device: cpu}]"));
        assertThat(listed.engine()).singleElement().extracting(e -> e.id()).isEqualTo("djl");
        assertThat(problems(VALID.replace("engine: {id: djl, device: cpu}", "engine: [djl, cpu]"))).singleElement()
                .extracting(Problem::message).asString().contains("the same engine and device twice", "djl:cpu");
        assertThat(problems(VALID.replace("engine: {id: djl, device: cpu}", "engine: [djl, nope]"))).singleElement()
                .extracting(Problem::path).isEqualTo("engine[1]");
    }

    @Test
    void aSensitivityAnalysisTakesNoOverrides() {
        assertThat(problems(VALID.replace("scope: layerwise", "scope: layerwise\n  sensitivity: true\n"
                + "  overrides: [{layer: fc1, sparsity: 0.5}]"))).singleElement().extracting(Problem::message)
                .asString().contains("'sensitivity'", "'overrides' cannot apply");
    }

    @Test
    void parsesStructuresAndDeviceShorthand() {
        ExperimentDescriptor d = read(VALID.replace("engine: {id: djl, device: cpu}", "engine: cpu")
                .replace("scope: layerwise", "scope: layerwise\n  structure: 2:4")
                .replace("sparsities: [0.5, 0.9]", "sparsities: [0.5]"));
        assertThat(d.engine().get(0).id()).isEqualTo("djl");
        assertThat(d.prune().orElseThrow().structure()).isEqualTo(new Structure.NOfM(2, 4));
        assertThat(problems(VALID.replace("scope: layerwise", "scope: layerwise\n  structure: {n: 4, m: 4}")))
                .singleElement().extracting(Problem::message).asString().contains("0 < n < m");
        // the VALID descriptor asks for 0.5 and 0.9: 2:4 fixes 0.5
        assertThat(problems(VALID.replace("scope: layerwise", "scope: layerwise\n  structure: 2:4")))
                .singleElement().extracting(Problem::message).asString()
                .contains("2:4", "sparsity of 0.5", "asks for 0.9");
    }

    @Test
    void everyPruningGroupKindIsAStructureByItsName() {
        for (Structure.Unit unit : Structure.Unit.values()) {
            String name = new Structure.Groups(unit).label();
            ExperimentDescriptor d = read(VALID.replace("scope: layerwise",
                    "scope: layerwise\n  structure: " + name));
            assertThat(d.prune().orElseThrow().structure()).isEqualTo(new Structure.Groups(unit));
        }
        assertThat(problems(VALID.replace("scope: layerwise", "scope: layerwise\n  structure: blokcs")))
                .singleElement().extracting(Problem::message).asString()
                .contains("unknown structure 'blokcs'", "did you mean 'blocks'",
                        "neurons, channels, heads, mlp, blocks");
    }

    @Test
    void overridesReplaceValuesBeforeValidation() {
        ExperimentDescriptor d = read(VALID, "train.epochs=5", "prune.sparsities=[0.8]", "engine={id: djl}");
        assertThat(d.train().epochs()).isEqualTo(5);
        assertThat(d.prune().orElseThrow().sparsities()).containsExactly(0.8);
        assertThat(problems(VALID, "train.epochs=-1")).singleElement().extracting(Problem::path).isEqualTo("train.epochs");
    }

    @Test
    void syntaxErrorsAndDuplicateKeysHaveLocations() {
        assertThat(problems("name: [unclosed\n")).singleElement().satisfies(p -> {
            assertThat(p.message()).startsWith("not valid YAML");
            assertThat(p.location().line()).isPositive();
        });
        assertThat(problems(VALID + "name: again\n")).anySatisfy(p -> {
            assertThat(p.message()).contains("given twice", "line 1");
            assertThat(p.location().line()).isEqualTo(11);
        });
    }
}
