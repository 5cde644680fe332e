package dev.bonsai.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.huggingface.HfArchitecture;
import dev.bonsai.models.pretrained.huggingface.HfConfig;
import dev.bonsai.models.pretrained.huggingface.HfTokenizer;
import dev.bonsai.models.pretrained.huggingface.HuggingFaceWriter;
import dev.bonsai.models.pretrained.huggingface.SafetensorsDtype;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a random-weight Hugging Face folder of a given LLaMA shape, one tensor at a time (so a model far larger than
 * the Java heap is written in the heap one tensor needs): matrices uniform with standard deviation 0.02, norm scales
 * 1, each tensor seeded from the seed and its name. The tokenizer is a word-level one whose tokens are {@code <unk>},
 * {@code <s>}, {@code </s>}, then {@code t3}, {@code t4}…: text is beside the point of a random model, its size is
 * not.
 */
final class RandomHuggingFaceFolder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RandomHuggingFaceFolder() {
    }

    /** Writes the folder {@code target} (which must not exist). */
    static void write(DecoderConfig config, SafetensorsDtype dtype, long shardBytes, long seed, Path target)
            throws IOException {
        Map<String, ParameterSpec> params = config.toSpec("random", 1).parameters();
        HfConfig hf = new HfConfig(HfArchitecture.LLAMA, config, 1, 2);
        new HuggingFaceWriter(dtype, shardBytes).write(hf, name -> random(params.get(name), seed),
                Map.of(HfTokenizer.FILE, tokenizerJson(config.vocab())), target);
    }

    private static Tensor random(ParameterSpec p, long seed) {
        float[] data = new float[Math.toIntExact(p.shape().size())];
        if (p.role() == ParameterRole.NORM_SCALE) {
            java.util.Arrays.fill(data, 1f);
        } else {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + p.name().hashCode());
            double half = 0.02 * Math.sqrt(3); // uniform on [-a, a] has standard deviation a / √3
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) ((2 * random.nextDouble() - 1) * half);
            }
        }
        return new Tensor(p.shape(), data);
    }

    /** A word-level tokenizer.json of {@code vocab} tokens. */
    static byte[] tokenizerJson(int vocab) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens");
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "Whitespace");
        root.putNull("post_processor");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode v = model.putObject("vocab");
        String[] special = {"<unk>", "<s>", "</s>"};
        for (int i = 0; i < vocab; i++) {
            v.put(i < special.length ? special[i] : "t" + i, i);
        }
        model.put("unk_token", "<unk>");
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
