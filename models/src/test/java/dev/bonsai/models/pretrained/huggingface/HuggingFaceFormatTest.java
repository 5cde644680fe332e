package dev.bonsai.models.pretrained.huggingface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.ModelFormat;
import dev.bonsai.models.pretrained.PretrainedModel;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hugging Face folders: round trips of each architecture, the transformers tensor names and layouts read back
 * independently, sharding, reduced precision, and the refusals.
 */
class HuggingFaceFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private PretrainedModel roundTrip(DecoderConfig config, HuggingFaceFormat format, String name) throws Exception {
        PretrainedModel model = HfFixtures.model(config, dir.resolve("tok-" + name), 7);
        Path folder = dir.resolve(name);
        format.write(model, folder);
        assertThat(format.recognizes(folder)).isTrue();
        PretrainedModel back = format.read(folder);
        assertThat(back.config()).isEqualTo(config);
        assertThat(back.format()).isEqualTo("huggingface");
        return back;
    }

    @Test
    void eachArchitectureRoundTripsExactlyInF32() throws Exception {
        HuggingFaceFormat format = new HuggingFaceFormat();
        int i = 0;
        for (DecoderConfig c : List.of(HfFixtures.llama(false), HfFixtures.llama(true), HfFixtures.qwen2(),
                HfFixtures.gpt2(true), HfFixtures.gpt2(false))) {
            PretrainedModel back = roundTrip(c, format, "m" + i++);
            Weights original = HfFixtures.random(c, 7);
            assertThat(back.weights().asMap().keySet()).containsExactlyElementsOf(original.asMap().keySet());
            original.asMap().forEach((name, t) -> assertThat(back.weights().get(name)).as(name).isEqualTo(t));
        }
    }

    @Test
    void llamaTensorsHaveTransformersNamesAndConfigFields() throws Exception {
        DecoderConfig c = HfFixtures.qwen2();
        PretrainedModel model = HfFixtures.model(c, dir.resolve("tok"), 3);
        Path folder = dir.resolve("qwen");
        new HuggingFaceFormat().write(model, folder);
        JsonNode config = JSON.readTree(folder.resolve("config.json").toFile());
        assertThat(config.path("architectures").path(0).asText()).isEqualTo("Qwen2ForCausalLM");
        assertThat(config.path("model_type").asText()).isEqualTo("qwen2");
        assertThat(config.path("hidden_size").asInt()).isEqualTo(8);
        assertThat(config.path("num_key_value_heads").asInt()).isEqualTo(2);
        assertThat(config.path("rope_theta").asDouble()).isEqualTo(1e6);
        assertThat(config.path("rms_norm_eps").asDouble()).isEqualTo(1e-6);
        assertThat(config.path("tie_word_embeddings").asBoolean()).isTrue();
        assertThat(config.path("torch_dtype").asText()).isEqualTo("float32");
        assertThat(config.path("bos_token_id").asInt()).isEqualTo(1);
        assertThat(Files.exists(folder.resolve("tokenizer.json"))).isTrue();
        try (SafetensorsFile f = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            assertThat(f.entries()).containsKeys("model.embed_tokens.weight", "model.layers.1.self_attn.q_proj.bias",
                    "model.layers.0.mlp.gate_proj.weight", "model.layers.0.input_layernorm.weight",
                    "model.layers.0.post_attention_layernorm.weight", "model.norm.weight")
                    .doesNotContainKeys("lm_head.weight", "model.layers.0.self_attn.o_proj.bias");
            // no permutation: the stored rows are Bonsai's half-split rows as they are
            assertThat(f.read("model.layers.1.self_attn.k_proj.weight"))
                    .isEqualTo(model.weights().get("blocks.1.attn.k.weight"));
        }
    }

    @Test
    void gpt2StoresConv1dTransposedAndFusesQueryKeyValue() throws Exception {
        DecoderConfig c = HfFixtures.gpt2(true);
        PretrainedModel model = HfFixtures.model(c, dir.resolve("tok"), 5);
        Path folder = dir.resolve("gpt2");
        new HuggingFaceFormat().write(model, folder);
        int d = c.width();
        try (SafetensorsFile f = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            Tensor cAttn = f.read("transformer.h.0.attn.c_attn.weight");
            assertThat(cAttn.shape()).isEqualTo(Shape.of(d, 3 * d));
            String[] parts = {"q", "k", "v"};
            for (int p = 0; p < 3; p++) {
                float[] w = model.weights().get("blocks.0.attn." + parts[p] + ".weight").data();
                for (int out = 0; out < d; out++) {
                    for (int in = 0; in < d; in++) {
                        // Conv1D: y = x · W with W [in, out]; Bonsai: y = x · Wᵀ with W [out, in]
                        assertThat(cAttn.data()[in * 3 * d + p * d + out]).isEqualTo(w[out * d + in]);
                    }
                }
            }
            Tensor fc = f.read("transformer.h.1.mlp.c_fc.weight");
            assertThat(fc.shape()).isEqualTo(Shape.of(d, c.hidden()));
            float[] up = model.weights().get("blocks.1.mlp.up.weight").data();
            assertThat(fc.data()[3 * c.hidden() + 5]).isEqualTo(up[5 * d + 3]);
            assertThat(f.read("transformer.wpe.weight")).isEqualTo(model.weights().get("pos.weight"));
            assertThat(f.entries()).doesNotContainKey("lm_head.weight");
        }
        JsonNode config = JSON.readTree(folder.resolve("config.json").toFile());
        assertThat(config.path("architectures").path(0).asText()).isEqualTo("GPT2LMHeadModel");
        assertThat(config.path("n_inner").asInt()).isEqualTo(32);
        assertThat(config.path("activation_function").asText()).isEqualTo("gelu_new");
    }

    @Test
    void originalGpt2NamesWithoutPrefixAndItsMaskBuffersAreRead() throws Exception {
        DecoderConfig c = HfFixtures.gpt2(true);
        PretrainedModel model = HfFixtures.model(c, dir.resolve("tok"), 5);
        Path folder = dir.resolve("gpt2");
        new HuggingFaceFormat().write(model, folder);
        Path renamed = dir.resolve("gpt2-original");
        Files.createDirectories(renamed);
        Map<String, Shape> shapes = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            for (String name : f.entries().keySet()) {
                tensors.put(name.substring("transformer.".length()), f.read(name));
            }
        }
        tensors.put("h.0.attn.bias", new Tensor(Shape.of(1, 1, 4, 4), new float[16]));
        tensors.forEach((k, v) -> shapes.put(k, v.shape()));
        try (SafetensorsWriter w = SafetensorsWriter.create(renamed.resolve("model.safetensors"), shapes,
                SafetensorsDtype.F32, Map.of())) {
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                w.write(e.getKey(), e.getValue());
            }
        }
        Files.copy(folder.resolve("config.json"), renamed.resolve("config.json"));
        Files.copy(folder.resolve("tokenizer.json"), renamed.resolve("tokenizer.json"));
        PretrainedModel back = new HuggingFaceFormat().read(renamed);
        assertThat(back.weights().get("blocks.1.attn.v.weight")).isEqualTo(model.weights().get("blocks.1.attn.v.weight"));
    }

    @Test
    void shardsWithAnIndexRoundTripAndAMissingShardIsRefused() throws Exception {
        DecoderConfig c = HfFixtures.llama(false);
        HuggingFaceFormat format = new HuggingFaceFormat(SafetensorsDtype.F32, 1000);
        PretrainedModel back = roundTrip(c, format, "sharded");
        Weights original = HfFixtures.random(c, 7);
        original.asMap().forEach((name, t) -> assertThat(back.weights().get(name)).as(name).isEqualTo(t));
        Path folder = dir.resolve("sharded");
        JsonNode index = JSON.readTree(folder.resolve("model.safetensors.index.json").toFile());
        List<String> shards;
        try (Stream<Path> list = Files.list(folder)) {
            shards = list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("model-")).sorted().toList();
        }
        assertThat(shards).hasSizeGreaterThan(2).allMatch(n -> n.matches("model-\\d{5}-of-\\d{5}\\.safetensors"));
        assertThat(index.path("weight_map").path("lm_head.weight").asText()).isEqualTo(shards.get(shards.size() - 1));
        long total = 0;
        for (String s : shards) {
            try (SafetensorsFile f = SafetensorsFile.open(folder.resolve(s))) {
                for (SafetensorsEntry e : f.entries().values()) {
                    total += e.end() - e.begin();
                }
            }
        }
        assertThat(index.path("metadata").path("total_size").asLong()).isEqualTo(total);
        Files.delete(folder.resolve(shards.get(1)));
        assertThatThrownBy(() -> format.read(folder)).hasMessageContaining(shards.get(1))
                .hasMessageContaining("not a file");
    }

    @Test
    void reducedPrecisionIsRoundedAndDeclared() throws Exception {
        DecoderConfig c = HfFixtures.llama(true);
        for (SafetensorsDtype d : List.of(SafetensorsDtype.F16, SafetensorsDtype.BF16)) {
            PretrainedModel back = roundTrip(c, new HuggingFaceFormat(d, Long.MAX_VALUE), "p" + d);
            JsonNode config = JSON.readTree(dir.resolve("p" + d).resolve("config.json").toFile());
            assertThat(config.path("torch_dtype").asText()).isEqualTo(d.torchName());
            Tensor original = HfFixtures.random(c, 7).get("blocks.0.mlp.down.weight");
            Tensor read = back.weights().get("blocks.0.mlp.down.weight");
            double tolerance = d == SafetensorsDtype.F16 ? 0x1p-11 : 0x1p-8;
            for (int i = 0; i < original.size(); i++) {
                float o = original.data()[i];
                assertThat((double) read.data()[i]).isCloseTo(o, org.assertj.core.data.Offset.offset(
                        Math.abs(o) * tolerance + 1e-7));
            }
            assertThat(read).isNotEqualTo(original);
        }
    }

    @Test
    void conversionStreamsTensorsIntoAnotherTypeAndShards() throws Exception {
        for (DecoderConfig c : List.of(HfFixtures.gpt2(false), HfFixtures.qwen2())) {
            Path source = dir.resolve("source-" + c.family());
            new HuggingFaceFormat().write(HfFixtures.model(c, dir.resolve("tok-" + c.family()), 4), source);
            Path target = dir.resolve("bf16-" + c.family());
            new HuggingFaceFormat(SafetensorsDtype.BF16, 2000).convert(source, target);
            assertThat(target.resolve("model.safetensors.index.json")).exists();
            assertThat(Files.readAllBytes(target.resolve("tokenizer.json")))
                    .isEqualTo(Files.readAllBytes(source.resolve("tokenizer.json")));
            PretrainedModel back = new HuggingFaceFormat().read(target);
            assertThat(back.config()).isEqualTo(c);
            Weights original = HfFixtures.random(c, 4);
            original.asMap().forEach((name, t) -> {
                float[] read = back.weights().get(name).data();
                for (int i = 0; i < read.length; i++) {
                    // bfloat16 keeps 8 significant bits: within half a unit of the 8th bit
                    assertThat(Math.abs(read[i] - t.data()[i])).as(name)
                            .isLessThanOrEqualTo(Math.abs(t.data()[i]) * 0x1p-8f);
                }
            });
        }
    }

    @Test
    void theFormatIsAServiceAndRecognizesOnlyModelFolders() throws Exception {
        assertThat(ServiceLoader.load(ModelFormat.class).stream().map(p -> p.get().id()))
                .contains("huggingface");
        HuggingFaceFormat format = new HuggingFaceFormat();
        assertThat(format.recognizes(dir)).isFalse();
        Files.writeString(dir.resolve("config.json"), "{}");
        assertThat(format.recognizes(dir)).isFalse();
        assertThat(format.recognizes(dir.resolve("config.json"))).isFalse();
    }

    private Path written(DecoderConfig c, String name) throws Exception {
        Path folder = dir.resolve(name);
        new HuggingFaceFormat().write(HfFixtures.model(c, dir.resolve("tok-" + name), 1), folder);
        return folder;
    }

    private static void editConfig(Path folder, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree(folder.resolve("config.json").toFile());
        edit.accept(config);
        JSON.writeValue(folder.resolve("config.json").toFile(), config);
    }

    @Test
    void configurationsAndTensorsThatDisagreeAreRefusedNamingTheFile() throws Exception {
        HuggingFaceFormat format = new HuggingFaceFormat();
        Path wrongShape = written(HfFixtures.llama(false), "shape");
        editConfig(wrongShape, c -> c.put("intermediate_size", 16));
        assertThatThrownBy(() -> format.read(wrongShape)).hasMessageContaining("model.safetensors")
                .hasMessageContaining("gate_proj.weight").hasMessageContaining("different models");

        Path missing = written(HfFixtures.llama(false), "missing");
        editConfig(missing, c -> c.put("num_hidden_layers", 3));
        assertThatThrownBy(() -> format.read(missing)).hasMessageContaining("lacks")
                .hasMessageContaining("model.layers.2.");

        Path extra = written(HfFixtures.llama(false), "extra");
        editConfig(extra, c -> c.put("tie_word_embeddings", true));
        // a tied model's saved lm_head is skipped; an unknown tensor is not
        assertThat(format.read(extra).config().tiedEmbeddings()).isTrue();
        editConfig(extra, c -> {
            c.put("tie_word_embeddings", false);
            c.put("num_hidden_layers", 1);
        });
        assertThatThrownBy(() -> format.read(extra)).hasMessageContaining("model.layers.1.")
                .hasMessageContaining("does not have");

        Path arch = written(HfFixtures.llama(false), "arch");
        editConfig(arch, c -> c.putArray("architectures").add("FalconForCausalLM"));
        assertThatThrownBy(() -> format.read(arch)).hasMessageContaining("config.json")
                .hasMessageContaining("FalconForCausalLM").hasMessageContaining("LlamaForCausalLM");

        Path scaling = written(HfFixtures.llama(false), "scaling");
        editConfig(scaling, c -> c.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 8));
        assertThatThrownBy(() -> format.read(scaling)).hasMessageContaining("rope_scaling");

        Path truncated = written(HfFixtures.llama(false), "truncated");
        try (FileChannel ch = FileChannel.open(truncated.resolve("model.safetensors"), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        assertThatThrownBy(() -> format.read(truncated)).hasMessageContaining("model.safetensors")
                .hasMessageContaining("truncated");
    }

    @Test
    void aMistralWindowShorterThanTheContextBecomesTheContext() throws Exception {
        Path folder = written(HfFixtures.llama(false), "mistral");
        editConfig(folder, c -> {
            c.putArray("architectures").add("MistralForCausalLM");
            c.put("model_type", "mistral");
            c.put("sliding_window", 8);
        });
        DecoderConfig read = new HuggingFaceFormat().read(folder).config();
        assertThat(read.family()).isEqualTo("mistral");
        assertThat(read.context()).isEqualTo(8);
        editConfig(folder, c -> c.put("sliding_window", 4096));
        assertThat(new HuggingFaceFormat().read(folder).config().context()).isEqualTo(16);
    }

    @Test
    void tokenizersAreReadWithoutSpecialTokensAndCheckedAgainstTheEmbedding() throws Exception {
        Path folder = dir.resolve("tok");
        HfTokenizer t = HfFixtures.tokenizer(folder, 11);
        assertThat(t.encode("w3 w10 w4 nothing")).containsExactly(3, 10, 4, 0);
        assertThat(t.decode(new int[] {1, 3, 10})).isEqualTo("w3 w10");
        assertThat(t.piece(7)).isEqualTo("w7");
        assertThat(t.bos()).hasValue(1);
        assertThat(t.eos()).hasValue(2);
        StringBuilder longText = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            longText.append("w5 ");
        }
        assertThat(t.encode(longText.toString())).hasSize(3000);
        // an embedding padded beyond the vocabulary is accepted; a smaller one is not
        assertThat(HfTokenizer.read(folder, 16, 1, 2).vocabularySize()).isEqualTo(16);
        assertThatThrownBy(() -> HfTokenizer.read(folder, 10, 1, 2)).hasMessageContaining("tokenizer.json")
                .hasMessageContaining("11 tokens").hasMessageContaining("10 rows");
        Path none = dir.resolve("none");
        Files.createDirectories(none);
        assertThatThrownBy(() -> HfTokenizer.read(none, 11, 1, 2)).hasMessageContaining("no tokenizer.json");
    }

    @Test
    void writingReplacesNothingAndLeavesNothingWhenItFails() throws Exception {
        DecoderConfig c = HfFixtures.llama(false);
        PretrainedModel model = HfFixtures.model(c, dir.resolve("tok"), 1);
        Path folder = dir.resolve("out");
        Files.createDirectories(folder);
        assertThatThrownBy(() -> new HuggingFaceFormat().write(model, folder))
                .isInstanceOf(FileAlreadyExistsException.class);
        Files.delete(folder);
        HfConfig config = new HfConfig(HfArchitecture.LLAMA, c, 1, 2);
        int[] calls = {0};
        assertThatThrownBy(() -> new HuggingFaceWriter(SafetensorsDtype.F32, 100).write(config, name -> {
            if (++calls[0] > 5) {
                throw new java.io.IOException("disk full");
            }
            return model.weights().get(name);
        }, Map.of(), folder)).hasMessageContaining("disk full");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("tok");
        }
    }

    @Test
    void modelsNoHuggingFaceClassHoldsAreRefusedWithTheReason() {
        DecoderConfig oBiasOnly = new DecoderConfig("llama", 11, 8, 1, 4, 2, 2, 12, 16, 1e-5, true, 1e4, true,
                dev.bonsai.api.model.Activation.SILU, false, true, false, false, false);
        assertThatThrownBy(() -> HfConfig.architectureFor(oBiasOnly)).hasMessageContaining("attention output");
        DecoderConfig gqaGpt2 = new DecoderConfig("gpt2", 11, 8, 1, 2, 1, 4, 32, 16, 1e-5, false, 0, false,
                dev.bonsai.api.model.Activation.GELU_TANH, true, true, true, true, true);
        assertThatThrownBy(() -> HfConfig.architectureFor(gqaGpt2)).hasMessageContaining("GPT-2");
        assertThat(HfConfig.architectureFor(HfFixtures.qwen2())).isEqualTo(HfArchitecture.QWEN2);
    }
}
