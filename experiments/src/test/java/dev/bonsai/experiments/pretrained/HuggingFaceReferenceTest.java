package dev.bonsai.experiments.pretrained;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.engine.djl.DjlEngine;
import dev.bonsai.engine.djl.DjlOptions;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.PretrainedModel;
import dev.bonsai.models.pretrained.huggingface.HfTokenizer;
import dev.bonsai.models.pretrained.huggingface.HuggingFaceFormat;
import dev.bonsai.models.pretrained.huggingface.SafetensorsDtype;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hugging Face folders against an independent implementation: random-weight GPT-2, Qwen2 and LLaMA folders written by
 * Bonsai are read back and run on the djl engine, and {@code hf_reference.py} (numpy and PyTorch, float64, written
 * from transformers' definitions, not from Bonsai's code) computes the logits from the same files. They agree within
 * 1e-4. Skipped, saying so, where no python3 with torch and numpy is installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HuggingFaceReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int T = 12;
    private static final int VOCAB = 19;

    @TempDir
    Path dir;

    private String python;
    private EngineRuntime runtime;

    @BeforeAll
    void setUp() {
        python = pythonWithTorch();
        Assumptions.assumeTrue(python != null, "no python3 with torch and numpy (set BONSAI_PYTHON, or install"
                + " python3-torch python3-numpy): the Hugging Face reference comparison is skipped");
        runtime = new DjlEngine().create(DjlOptions.defaults());
    }

    @AfterAll
    void tearDown() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static String pythonWithTorch() {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("BONSAI_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("python3");
        candidates.add("/usr/bin/python3");
        for (String candidate : candidates) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import torch, numpy").redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // not installed under that name: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    @Test
    void gpt2LogitsMatchTheReference() throws Exception {
        compare(new DecoderConfig("gpt2", VOCAB, 16, 2, 4, 4, 4, 40, 16, 1e-5, false, 0, false,
                Activation.GELU_TANH, true, true, true, true, true), SafetensorsDtype.F32, "gpt2");
    }

    @Test
    void gpt2WithUntiedHeadMatchesTheReference() throws Exception {
        compare(new DecoderConfig("gpt2", VOCAB, 16, 1, 2, 2, 8, 24, 16, 1e-5, false, 0, false,
                Activation.GELU_TANH, true, true, true, false, true), SafetensorsDtype.F32, "gpt2-untied");
    }

    @Test
    void qwen2LogitsMatchTheReference() throws Exception {
        // grouped-query attention (4 query heads on 2 key/value heads), query/key/value biases, a tied head
        compare(new DecoderConfig("qwen2", VOCAB, 16, 2, 4, 2, 4, 24, 16, 1e-6, true, 10000, true, Activation.SILU,
                true, false, false, true, false), SafetensorsDtype.F32, "qwen2");
    }

    @Test
    void bf16LlamaLogitsMatchTheReference() throws Exception {
        // head width 8 ≠ width / heads, a small θ that turns every pair visibly, an untied head, bfloat16 tensors
        compare(new DecoderConfig("llama", VOCAB, 16, 2, 4, 1, 8, 24, 16, 1e-5, true, 50, true, Activation.SILU,
                false, false, false, false, false), SafetensorsDtype.BF16, "llama-bf16");
    }

    private void compare(DecoderConfig config, SafetensorsDtype dtype, String name) throws Exception {
        Path folder = dir.resolve(name);
        PretrainedModel model = new PretrainedModel(config, random(config, 11), tokenizer(dir.resolve(name + "-tok")),
                "test");
        new HuggingFaceFormat(dtype, Long.MAX_VALUE).write(model, folder);
        PretrainedModel read = new HuggingFaceFormat().read(folder);

        Random random = new Random(5);
        int[][] sequences = new int[2][T];
        for (int[] s : sequences) {
            for (int i = 0; i < T; i++) {
                s[i] = random.nextInt(VOCAB);
            }
        }
        float[] bonsai = bonsaiLogits(read, sequences);
        double[][][] reference = referenceLogits(folder, sequences);
        double maxDiff = 0;
        double sumSquares = 0;
        for (int b = 0; b < sequences.length; b++) {
            for (int t = 0; t < T; t++) {
                for (int v = 0; v < VOCAB; v++) {
                    double r = reference[b][t][v];
                    maxDiff = Math.max(maxDiff, Math.abs(bonsai[(b * T + t) * VOCAB + v] - r));
                    sumSquares += r * r;
                }
            }
        }
        // logits of a sensible size, so that the comparison means something
        assertThat(Math.sqrt(sumSquares / (sequences.length * T * VOCAB))).as(name + " logit scale")
                .isBetween(0.1, 100.0);
        assertThat(maxDiff).as(name + ": largest |Bonsai − reference| over all logits").isLessThanOrEqualTo(1e-4);
    }

    private float[] bonsaiLogits(PretrainedModel model, int[][] sequences) {
        float[] x = new float[sequences.length * T];
        for (int b = 0; b < sequences.length; b++) {
            for (int t = 0; t < T; t++) {
                x[b * T + t] = sequences[b][t];
            }
        }
        try (Network net = runtime.build(model.config().toSpec("hf", T), model.weights(), "cpu")) {
            Tensor logits = net.logits(new Batch(new Tensor(Shape.of(sequences.length, T), x),
                    new int[sequences.length * T]));
            assertThat(logits.shape()).isEqualTo(Shape.of(sequences.length, T, VOCAB));
            return logits.data();
        }
    }

    private double[][][] referenceLogits(Path folder, int[][] sequences) throws Exception {
        Path script = Path.of(getClass().getResource("/pretrained/hf_reference.py").toURI());
        List<String> command = new ArrayList<>(List.of(python, script.toString(), folder.toString()));
        for (int[] s : sequences) {
            StringBuilder ids = new StringBuilder();
            for (int id : s) {
                ids.append(ids.length() == 0 ? "" : ",").append(id);
            }
            command.add("--tokens");
            command.add(ids.toString());
        }
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("the reference finishes").isTrue();
        assertThat(p.exitValue()).as("hf_reference.py failed: " + Files.readString(err)).isZero();
        JsonNode logits = JSON.readTree(new String(out, StandardCharsets.UTF_8)).path("logits");
        double[][][] r = new double[sequences.length][T][VOCAB];
        for (int b = 0; b < sequences.length; b++) {
            for (int t = 0; t < T; t++) {
                for (int v = 0; v < VOCAB; v++) {
                    r[b][t][v] = logits.path(b).path(t).path(v).asDouble(Double.NaN);
                }
            }
        }
        return r;
    }

    /** Weights of a trained model's scale: N(0, 0.2²) matrices and biases, norm scales 1 + N(0, 0.1²). */
    private static Weights random(DecoderConfig config, long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (ParameterSpec p : config.toSpec("random", 1).parameters().values()) {
            boolean scale = p.role() == ParameterRole.NORM_SCALE;
            float[] data = new float[Math.toIntExact(p.shape().size())];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (scale ? 1 + 0.1 * random.nextGaussian() : 0.2 * random.nextGaussian());
            }
            tensors.put(p.name(), new Tensor(p.shape(), data));
        }
        return new Weights(tensors);
    }

    /** A word-level tokenizer.json of {@link #VOCAB} tokens ({@code <unk>}, {@code <s>}, {@code </s>}, w3…). */
    private static HfTokenizer tokenizer(Path folder) throws IOException {
        StringBuilder vocab = new StringBuilder("\"<unk>\":0,\"<s>\":1,\"</s>\":2");
        for (int i = 3; i < VOCAB; i++) {
            vocab.append(",\"w").append(i).append("\":").append(i);
        }
        String json = "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],"
                + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},\"post_processor\":null,"
                + "\"decoder\":null,\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + vocab + "},\"unk_token\":\"<unk>\"}}";
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(HfTokenizer.FILE), json);
        return HfTokenizer.read(folder, VOCAB, 1, 2);
    }
}
