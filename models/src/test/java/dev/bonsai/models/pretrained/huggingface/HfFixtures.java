package dev.bonsai.models.pretrained.huggingface;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.PretrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Tiny configurations, random weights and a word-level tokenizer.json for the Hugging Face format's tests. */
final class HfFixtures {
    private HfFixtures() {
    }

    static DecoderConfig llama(boolean tied) {
        return new DecoderConfig("llama", 11, 8, 2, 4, 2, 2, 12, 16, 1e-5, true, 10000, true, Activation.SILU, false,
                false, false, tied, false);
    }

    static DecoderConfig qwen2() {
        return new DecoderConfig("qwen2", 11, 8, 2, 4, 2, 2, 12, 16, 1e-6, true, 1e6, true, Activation.SILU, true,
                false, false, true, false);
    }

    static DecoderConfig gpt2(boolean tied) {
        return new DecoderConfig("gpt2", 11, 8, 2, 2, 2, 4, 32, 16, 1e-5, false, 0, false, Activation.GELU_TANH, true,
                true, true, tied, true);
    }

    /** Weights with every element drawn from N(0, 1) (norm scales around 1), reproducibly. */
    static Weights random(DecoderConfig config, long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (ParameterSpec p : config.toSpec("fixture", 1).parameters().values()) {
            float[] data = new float[Math.toIntExact(p.shape().size())];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextGaussian();
            }
            tensors.put(p.name(), new Tensor(p.shape(), data));
        }
        return new Weights(tensors);
    }

    /**
     * A word-level tokenizer.json of {@code vocab} tokens: {@code <unk>} (0), {@code <s>} (1), {@code </s>} (2), then
     * {@code w3}, {@code w4}…; its post-processor would put {@code <s>} first, which Bonsai's encode must not do.
     */
    static Path tokenizerJson(Path dir, int vocab) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        String[] special = {"<unk>", "<s>", "</s>"};
        for (int i = 0; i < special.length; i++) {
            added.addObject().put("id", i).put("content", special[i]).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "Whitespace");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode bos = post.putObject("special_tokens").putObject("<s>");
        bos.put("id", "<s>");
        bos.putArray("ids").add(1);
        bos.putArray("tokens").add("<s>");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < vocab; i++) {
            v.put(i < special.length ? special[i] : "w" + i, i);
        }
        model.put("unk_token", "<unk>");
        Files.createDirectories(dir);
        Path file = dir.resolve(HfTokenizer.FILE);
        json.writeValue(file.toFile(), root);
        return file;
    }

    static HfTokenizer tokenizer(Path dir, int vocab) throws IOException {
        tokenizerJson(dir, vocab);
        return HfTokenizer.read(dir, vocab, 1, 2);
    }

    static PretrainedModel model(DecoderConfig config, Path scratch, long seed) throws IOException {
        return new PretrainedModel(config, random(config, seed), tokenizer(scratch, config.vocab()), "test");
    }
}
