package dev.bonsai.models.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.Checkpoint;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.models.CharGpt;
import dev.bonsai.models.CharGptOptions;
import dev.bonsai.models.Cnn;
import dev.bonsai.models.CnnOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint files: round trips, the safetensors layout read independently, and every refusal naming the file. */
class CheckpointFileTest {
    private static final List<String> VOCAB = List.of("\n", " ", "a", "b", "c");
    private static final DatasetInfo CHARS = new DatasetInfo("chars", Shape.of(8), VOCAB.size(), Map.of(), VOCAB);

    @TempDir
    Path dir;

    private static ModelSpec gpt(int layers) {
        return new CharGpt().build(new CharGptOptions(layers, 2, 8, 8, 0.1), CHARS);
    }

    private static Checkpoint checkpoint(ModelSpec spec, List<String> vocabulary) {
        return new Checkpoint(spec, WeightInitializer.initialize(spec, 7), vocabulary,
                Map.of("experiment", "demo", "seed", "7"));
    }

    @Test
    void aCharGptRoundTripsWithItsVocabularyAndProvenance() {
        Checkpoint written = checkpoint(gpt(2), VOCAB);
        Path file = dir.resolve("sub/model.safetensors");

        CheckpointFile.write(file, written);
        Checkpoint read = CheckpointFile.read(file);

        assertThat(SpecJson.difference(read.spec(), written.spec())).isEmpty();
        assertThat(read.spec().name()).isEqualTo(written.spec().name());
        assertThat(read.spec().layers()).isEqualTo(written.spec().layers());
        assertThat(read.weights().asMap()).isEqualTo(written.weights().asMap());
        assertThat(List.copyOf(read.weights().asMap().keySet()))
                .isEqualTo(List.copyOf(written.spec().parameters().keySet()));
        assertThat(read.vocabulary()).isEqualTo(VOCAB);
        assertThat(read.provenance()).isEqualTo(Map.of("experiment", "demo", "seed", "7"));
    }

    @Test
    void aHeadPrunedBlockRoundTripsAndASpecWrittenBeforeHeadWidthsReadsWithTheDefault() {
        ModelSpec pruned = new ModelSpec("pruned", Shape.of(8), List.of(new LayerSpec.Embedding("emb", 5, 8),
                new LayerSpec.TransformerBlock("block1", 1, 4, 0, 4), new LayerSpec.Dense("head", 5, false)));
        assertThat(SpecJson.read(SpecJson.write(pruned)).layers()).isEqualTo(pruned.layers());

        // a spec as written before attention layers had a head width: the component is absent
        String old = SpecJson.write(gpt(1)).replace(",\"headDim\":0", "");
        assertThat(old).doesNotContain("headDim").contains("TransformerBlock");
        assertThat(SpecJson.read(old).layers()).isEqualTo(gpt(1).layers());
        // a missing component followed by a present one is still an error naming it
        String broken = SpecJson.write(gpt(1)).replace("\"heads\":2,", "");
        assertThatThrownBy(() -> SpecJson.read(broken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heads is missing");
    }

    @Test
    void aCnnWithBatchNormPoolingAndAResidualRoundTrips() {
        DatasetInfo cifar = new DatasetInfo("cifar-10", Shape.of(3, 32, 32), 10, Map.of());
        ModelSpec cnn = new Cnn().build(CnnOptions.defaults(), cifar);
        ModelSpec residual = new ModelSpec("res", Shape.of(6), List.of(new LayerSpec.Dense("in", 4, true),
                new LayerSpec.Residual("skip", List.of(new LayerSpec.Dense("inner", 4, false),
                        new LayerSpec.Activate("act", Activation.GELU))),
                new LayerSpec.Dense("out", 3, true)));
        for (ModelSpec spec : List.of(cnn, residual)) {
            Path file = dir.resolve(spec.name() + ".safetensors");
            Checkpoint written = checkpoint(spec, List.of());
            CheckpointFile.write(file, written);
            Checkpoint read = CheckpointFile.read(file);
            assertThat(read.spec().layers()).isEqualTo(spec.layers());
            assertThat(read.weights().asMap()).isEqualTo(written.weights().asMap());
            assertThat(read.vocabulary()).isEmpty();
        }
    }

    /** The layout a safetensors reader expects, decoded here by hand rather than with the class under test. */
    @Test
    void theFileIsSafetensorsReadableWithoutBonsai() throws Exception {
        Checkpoint written = checkpoint(gpt(1), VOCAB);
        Path file = dir.resolve("m.safetensors");
        CheckpointFile.write(file, written);
        byte[] bytes = Files.readAllBytes(file);

        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(n % 8).isZero();
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        assertThat(header.path("__metadata__").path("format").asText()).isEqualTo("bonsai-checkpoint");
        long total = 0;
        for (var p : written.spec().parameters().values()) {
            JsonNode entry = header.get(p.name());
            assertThat(entry.path("dtype").asText()).isEqualTo("F32");
            assertThat(entry.path("shape").toString()).isEqualTo(Arrays.toString(p.shape().dims()).replace(" ", ""));
            long begin = entry.path("data_offsets").get(0).asLong();
            long end = entry.path("data_offsets").get(1).asLong();
            assertThat(end - begin).isEqualTo(4 * p.size());
            float[] expected = written.weights().get(p.name()).data();
            int last = expected.length - 1;
            ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(data.getFloat((int) (8 + n + begin))).isEqualTo(expected[0]);
            assertThat(data.getFloat((int) (8 + n + begin + 4L * last))).isEqualTo(expected[last]);
            total += end - begin;
        }
        assertThat(bytes.length).isEqualTo(8 + n + total);
    }

    @Test
    void aTruncatedFileIsRefusedNamingIt() throws Exception {
        Path file = dir.resolve("cut.safetensors");
        CheckpointFile.write(file, checkpoint(gpt(1), VOCAB));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));

        assertThatThrownBy(() -> CheckpointFile.read(file)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("truncated");

        Files.write(file, Arrays.copyOf(bytes, 100));
        assertThatThrownBy(() -> CheckpointFile.read(file)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("truncated");
    }

    @Test
    void aFlippedDataByteIsCaughtByTheChecksum() throws Exception {
        Path file = dir.resolve("flip.safetensors");
        CheckpointFile.write(file, checkpoint(gpt(1), VOCAB));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(file, bytes);

        assertThatThrownBy(() -> CheckpointFile.read(file)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("corrupt")
                .hasMessageContaining("SHA-256");
    }

    @Test
    void otherFilesAreRefusedWithTheReason() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "these are not weights at all, just some text");
        assertThatThrownBy(() -> CheckpointFile.read(text)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining(text.toString()).hasMessageContaining("not a safetensors file");

        Path missing = dir.resolve("missing.safetensors");
        assertThatThrownBy(() -> CheckpointFile.read(missing)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");

        byte[] json = "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer foreign = ByteBuffer.allocate(8 + json.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        foreign.putLong(json.length).put(json).putFloat(1f);
        Path other = dir.resolve("foreign.safetensors");
        Files.write(other, foreign.array());
        assertThatThrownBy(() -> CheckpointFile.read(other)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining(other.toString()).hasMessageContaining("without Bonsai's metadata");
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedWithTheFirstDifference() {
        Path file = dir.resolve("two-layers.safetensors");
        CheckpointFile.write(file, checkpoint(gpt(2), VOCAB));

        assertThat(CheckpointFile.read(file, gpt(2), "the teacher").weights().asMap()).isNotEmpty();
        assertThatThrownBy(() -> CheckpointFile.read(file, gpt(3), "the teacher"))
                .isInstanceOf(BonsaiException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("the teacher").hasMessageContaining("layer 6");
        ModelSpec wider = new CharGpt().build(new CharGptOptions(2, 2, 16, 8, 0.1), CHARS);
        assertThatThrownBy(() -> CheckpointFile.read(file, wider, "the teacher"))
                .hasMessageContaining("layer 1").hasMessageContaining("\"dim\":8")
                .hasMessageContaining("\"dim\":16");
    }

    @Test
    void weightsOrAVocabularyThatDoNotFitTheSpecAreRefusedBeforeWriting() {
        ModelSpec spec = gpt(1);
        Weights partial = new Weights(Map.of("tok_emb.weight", WeightInitializer.initialize(spec, 1)
                .get("tok_emb.weight")));
        assertThatThrownBy(() -> new Checkpoint(spec, partial, VOCAB, Map.of()))
                .hasMessageContaining("lack parameter");
        assertThatThrownBy(() -> new Checkpoint(spec, WeightInitializer.initialize(spec, 1), List.of("a"), Map.of()))
                .hasMessageContaining("vocabulary has 1 tokens");
    }
}
