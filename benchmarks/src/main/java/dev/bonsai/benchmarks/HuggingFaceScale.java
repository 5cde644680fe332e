package dev.bonsai.benchmarks;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.engine.djl.DjlEngine;
import dev.bonsai.engine.djl.DjlOptions;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.PretrainedModel;
import dev.bonsai.models.pretrained.huggingface.HuggingFaceFormat;
import dev.bonsai.models.pretrained.huggingface.HuggingFaceWriter;
import dev.bonsai.models.pretrained.huggingface.SafetensorsDtype;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The TinyLlama-scale check of the Hugging Face path: writes a random-weight BF16 folder of a LLaMA shape
 * (TinyLlama-1.1B's by default), then loads it and evaluates one window on the djl engine, reporting the load time,
 * the forward pass's tokens per second and the process's peak resident memory.
 *
 * <pre>
 * java -Xmx8g -cp benchmarks/target/benchmarks.jar dev.bonsai.benchmarks.HuggingFaceScale write FOLDER [--layers 22]
 *     [--width 2048] [--hidden 5632] [--heads 32] [--kv-heads 4] [--vocab 32000] [--context 2048] [--dtype bf16]
 *     [--shard-gb 5] [--seed 1]
 * java -Xmx8g -cp benchmarks/target/benchmarks.jar dev.bonsai.benchmarks.HuggingFaceScale evaluate FOLDER
 *     [--tokens 512] [--seed 1]
 * </pre>
 */
public final class HuggingFaceScale {
    private final PrintStream out;

    private HuggingFaceScale(PrintStream out) {
        this.out = out;
    }

    /** Runs {@code write} or {@code evaluate}; see the class description. */
    public static void main(String[] args) {
        if (args.length < 2 || !(args[0].equals("write") || args[0].equals("evaluate"))) {
            System.err.println("usage: HuggingFaceScale write FOLDER [--layers N --width N --hidden N --heads N"
                    + " --kv-heads N --vocab N --context N --dtype f32|f16|bf16 --shard-gb G --seed S]\n"
                    + "       HuggingFaceScale evaluate FOLDER [--tokens N --seed S]");
            System.exit(2);
        }
        try {
            Map<String, String> options = options(args);
            HuggingFaceScale scale = new HuggingFaceScale(System.out);
            if (args[0].equals("write")) {
                scale.write(Path.of(args[1]), options);
            } else {
                scale.evaluate(Path.of(args[1]), options);
            }
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("HuggingFaceScale: " + e.getMessage());
            System.exit(1);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs after the folder, got '" + args[i]
                        + "'");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static int integer(Map<String, String> options, String name, int fallback) {
        String v = options.remove(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    private static void noneLeft(Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + options.keySet());
        }
    }

    private void write(Path folder, Map<String, String> options) throws IOException {
        int width = integer(options, "width", 2048);
        int heads = integer(options, "heads", 32);
        DecoderConfig config = new DecoderConfig("llama", integer(options, "vocab", 32000), width,
                integer(options, "layers", 22), heads, integer(options, "kv-heads", 4), width / heads,
                integer(options, "hidden", 5632), integer(options, "context", 2048), 1e-5, true, 10000, true,
                Activation.SILU, false, false, false, false, false);
        SafetensorsDtype dtype = SafetensorsDtype.parse(options.getOrDefault("dtype", "bf16"));
        options.remove("dtype");
        long shardBytes = (long) (Double.parseDouble(options.getOrDefault("shard-gb", "5")) * 1e9);
        options.remove("shard-gb");
        long seed = integer(options, "seed", 1);
        noneLeft(options);
        long parameters = config.toSpec("count", 1).parameters().values().stream().mapToLong(p -> p.shape().size())
                .sum();
        long start = System.nanoTime();
        RandomHuggingFaceFolder.write(config, dtype, shardBytes, seed, folder);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "wrote %s: %,d parameters, %s, %,d bytes of safetensors in %.1f s%n", folder,
                parameters, dtype, safetensorsBytes(folder), seconds);
        out.printf(Locale.ROOT, "peak_rss_mib %.0f%n", PeakMemory.residentMib());
    }

    private static long safetensorsBytes(Path folder) throws IOException {
        long total = 0;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".safetensors")).toList()) {
                total += Files.size(p);
            }
        }
        return total;
    }

    private void evaluate(Path folder, Map<String, String> options) throws IOException {
        int tokens = integer(options, "tokens", 512);
        long seed = integer(options, "seed", 1);
        noneLeft(options);
        long start = System.nanoTime();
        PretrainedModel model = new HuggingFaceFormat().read(folder);
        double load = (System.nanoTime() - start) / 1e9;
        DecoderConfig c = model.config();
        if (tokens > c.context()) {
            throw new IllegalArgumentException("--tokens " + tokens + " exceeds the model's context " + c.context());
        }
        out.printf(Locale.ROOT, "load_s %.1f (%s: %d layers, width %d, vocab %d)%n", load, folder, c.layers(),
                c.width(), c.vocab());
        SplittableRandom random = new SplittableRandom(seed);
        float[] ids = new float[tokens];
        List<Integer> window = new ArrayList<>();
        for (int i = 0; i < tokens; i++) {
            int id = random.nextInt(c.vocab());
            ids[i] = id;
            window.add(id);
        }
        try (EngineRuntime runtime = new DjlEngine().create(DjlOptions.defaults())) {
            long built = System.nanoTime();
            try (Network net = runtime.build(c.toSpec(folder.getFileName().toString(), tokens), model.weights(),
                    "cpu")) {
                model = null; // the network holds its own copy; let the host weights go
                double build = (System.nanoTime() - built) / 1e9;
                long forward = System.nanoTime();
                Tensor logits = net.logits(new Batch(new Tensor(Shape.of(1, tokens), ids), new int[tokens]));
                double seconds = (System.nanoTime() - forward) / 1e9;
                out.printf(Locale.ROOT, "build_s %.1f%n", build);
                out.printf(Locale.ROOT, "forward_s %.2f tokens_per_s %.1f%n", seconds, tokens / seconds);
                out.printf(Locale.ROOT, "mean_nll %.4f (ln vocab = %.4f)%n", meanNll(logits, window, c.vocab()),
                        Math.log(c.vocab()));
            }
        }
        out.printf(Locale.ROOT, "peak_rss_mib %.0f%n", PeakMemory.residentMib());
    }

    /** The mean negative log-likelihood of each next token of {@code window} under {@code logits [1, T, V]}. */
    private static double meanNll(Tensor logits, List<Integer> window, int vocab) {
        float[] l = logits.data();
        double sum = 0;
        for (int t = 0; t + 1 < window.size(); t++) {
            int base = t * vocab;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, l[base + v]);
            }
            double z = 0;
            for (int v = 0; v < vocab; v++) {
                z += Math.exp(l[base + v] - max);
            }
            sum += max + Math.log(z) - l[base + window.get(t + 1)];
        }
        return sum / (window.size() - 1);
    }
}
