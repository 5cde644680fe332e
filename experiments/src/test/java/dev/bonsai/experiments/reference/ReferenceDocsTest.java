package dev.bonsai.experiments.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bonsai.api.Plugin;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.plugins.PluginRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The committed reference and schema in {@code docs/} are exactly what the code generates, so they cannot drift:
 * after changing an option, run {@code ./bonsai reference > docs/descriptor-reference.md} and
 * {@code ./bonsai reference --schema > docs/descriptor.schema.json}.
 */
class ReferenceDocsTest {
    private static final Path DOCS = Path.of("..", "docs");
    private static final PluginRegistry REGISTRY = Bonsai.create().plugins();
    /** Bonsai's own plugins: not the test-only ones on this class path. */
    private static final Predicate<Plugin<?>> BUILT_IN = p -> !p.getClass().getProtectionDomain().getCodeSource()
            .getLocation().getPath().contains("test-classes");

    @Test
    void theCommittedReferenceIsTheGeneratedOne() throws Exception {
        String generated = DescriptorReference.markdown(REGISTRY, BUILT_IN);
        assertThat(Files.readString(DOCS.resolve("descriptor-reference.md"), StandardCharsets.UTF_8))
                .as("docs/descriptor-reference.md is stale: run ./bonsai reference > docs/descriptor-reference.md")
                .isEqualTo(generated);
        assertThat(generated).contains("| `sparsities` | list of number | required | in [0, 1) |", "### `obd`",
                "| `curvature` | one of exact, hutchinson, gauss-newton, empirical-fisher | `gauss-newton` |");
    }

    @Test
    void theCommittedSchemaIsTheGeneratedOneAndDescribesPluginOptions() throws Exception {
        String generated = DescriptorSchema.json(REGISTRY, BUILT_IN);
        assertThat(Files.readString(DOCS.resolve("descriptor.schema.json"), StandardCharsets.UTF_8))
                .as("docs/descriptor.schema.json is stale: run ./bonsai reference --schema > docs/descriptor.schema.json")
                .isEqualTo(generated);
        JsonNode schema = new ObjectMapper().readTree(generated);
        assertThat(schema.get("required")).extracting(JsonNode::asText).contains("name", "dataset", "model", "train");
        JsonNode sparsities = schema.at("/properties/prune/properties/sparsities");
        assertThat(sparsities.at("/items/minimum").asDouble()).isZero();
        assertThat(sparsities.at("/items/exclusiveMaximum").asDouble()).isEqualTo(1.0);
        // one strategy, or a list of them
        assertThat(schema.at("/properties/prune/properties/strategies/anyOf/1/type").asText()).isEqualTo("array");
        JsonNode strategies = schema.at("/properties/prune/properties/strategies/anyOf/1/items/anyOf");
        assertThat(strategies.get(0).get("enum")).extracting(JsonNode::asText).contains("magnitude", "obd", "obs");
        assertThat(strategies.findValues("const")).extracting(JsonNode::asText).contains("obd");
    }
}
