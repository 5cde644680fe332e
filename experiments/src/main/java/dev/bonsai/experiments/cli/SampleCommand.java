package dev.bonsai.experiments.cli;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.Network;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.PluginOptions;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.experiments.plugins.PluginRegistry;
import dev.bonsai.experiments.sample.TextSampler;
import dev.bonsai.strategies.generation.Sampling;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bonsai sample MODEL}: seeded text from a saved or pretrained language model. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Generate text from a language model: a checkpoint written by a run with checkpoints.save, or "
                + "a pretrained model (llama2.c .bin, GGUF, Hugging Face folder) with its own tokenizer. The same "
                + "model, options and seed give the same text.")
final class SampleCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
            description = "A checkpoint file (.safetensors) of a run, or a pretrained model file or folder.")
    Path checkpoint;

    @Option(names = "--model", paramLabel = "MODEL", description = "The model, as an option instead of the argument.")
    Path model;

    @Option(names = "--prompt", defaultValue = "", paramLabel = "TEXT",
            description = "The text to continue; default: the start of a line (a pretrained model: its "
                    + "beginning-of-sequence token alone).")
    String prompt;

    @Option(names = "--length", defaultValue = "200", paramLabel = "N", description = "New tokens per sample (default 200).")
    int length;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T",
            description = "Divides the logits: below 1 is more conservative, 0 always takes the likeliest token (default 1).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K",
            description = "Draw only from the K likeliest tokens; 0: from all (default 0).")
    int topK;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "The seed (default 1).")
    long seed;

    @Option(names = "--samples", defaultValue = "1", paramLabel = "N",
            description = "How many samples; sample i is the same whatever N (default 1).")
    int samples;

    @Option(names = "--engine", defaultValue = "cpu", paramLabel = "ID[:DEVICE]",
            description = "The engine, e.g. djl or djl:cpu, or a device alone for the best engine there (default cpu).")
    String engine;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Threads per operator, for engines with a 'threads' option; 0: the engine's default (all "
                    + "cores). One thread is often as fast for one small model and better on a busy machine.")
    int threads;

    @Option(names = "--no-cache", description = "Run a forward pass over the whole context window for every token "
            + "instead of decoding with the model's key/value cache: the same text, slower (to check or time the cache).")
    boolean noCache;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (length < 1 || samples < 1 || threads < 0) {
            throw new BonsaiException("--length and --samples must be at least 1 and --threads at least 0, got "
                    + length + ", " + samples + " and " + threads);
        }
        Sampling sampling;
        try {
            sampling = new Sampling(temperature, topK);
        } catch (IllegalArgumentException e) {
            throw new BonsaiException("--temperature / --top-k: " + e.getMessage());
        }
        if ((checkpoint == null) == (model == null)) {
            throw new BonsaiException("name the model once: as the argument or with --model");
        }
        Path path = checkpoint != null ? checkpoint : model;
        ModelFile file = ModelFile.read(path);
        if (file.tokenizer().isEmpty() && file.vocabulary().isEmpty()) {
            throw new BonsaiException("Checkpoint " + path + " holds model '" + file.spec().name()
                    + "', which was not trained on text (it has no vocabulary): there is nothing to sample");
        }
        PluginRegistry registry = Bonsai.create().plugins();
        String[] target = target(registry);
        ComputeEngine<?> chosen = (ComputeEngine<?>) registry.find(PluginKind.ENGINE, target[0]).orElseThrow();
        List<String> texts;
        try (EngineRuntime runtime = create(chosen); Network network = runtime.build(file.spec(), file.weights(),
                target[1])) {
            texts = file.tokenizer().isPresent()
                    ? TextSampler.sample(network, file.tokenizer().get(), prompt, samples, length, sampling, seed,
                            !noCache)
                    : TextSampler.sample(network, file.vocabulary(), prompt, samples, length, sampling, seed,
                            !noCache);
        }
        PrintWriter out = spec.commandLine().getOut();
        for (int i = 0; i < texts.size(); i++) {
            if (texts.size() > 1) {
                out.printf("--- sample %d of %d (seed %d) ---%n", i + 1, texts.size(), seed);
            }
            out.println(texts.get(i));
        }
        out.flush();
        return 0;
    }

    /** The engine id and device: {@code ID}, {@code ID:DEVICE}, or a device for the best available engine there. */
    private String[] target(PluginRegistry registry) {
        int colon = engine.indexOf(':');
        String id = colon < 0 ? engine : engine.substring(0, colon);
        String device = colon < 0 ? "cpu" : engine.substring(colon + 1);
        if (registry.find(PluginKind.ENGINE, id).isEmpty()) {
            device = engine;
            List<ComputeEngine<?>> candidates = registry.enginesFor(device);
            ComputeEngine<?> best = candidates.stream().filter(e -> e.availability(engine).available()).findFirst()
                    .orElseThrow(() -> new BonsaiException("--engine " + engine + ": no engine known by that name, and "
                            + "no available engine for a device of that name; engines: "
                            + String.join(", ", registry.of(PluginKind.ENGINE).keySet())));
            id = best.id();
        }
        ComputeEngine<?> chosen = (ComputeEngine<?>) registry.find(PluginKind.ENGINE, id).orElseThrow();
        if (!chosen.availability(device).available()) {
            throw new BonsaiException("engine '" + id + "' cannot use device '" + device + "': "
                    + chosen.availability(device).reason());
        }
        return new String[] {id, device};
    }

    private <O extends Record> EngineRuntime create(ComputeEngine<O> engine) {
        boolean hasThreads = java.util.Arrays.stream(engine.optionsType().getRecordComponents())
                .anyMatch(c -> c.getName().equals("threads"));
        return engine.create(PluginOptions.bind(engine, hasThreads ? "{threads: " + threads + "}" : "{}",
                "--threads"));
    }
}
