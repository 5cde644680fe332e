package dev.bonsai.experiments.cli;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Plugin;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.data.TokenizedTextProvider;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.datasets.files.DataFileResolver;
import dev.bonsai.datasets.files.DataLocations;
import dev.bonsai.datasets.text.TinyStoriesProvider;
import dev.bonsai.experiments.bench.Measurement;
import dev.bonsai.experiments.bench.PretrainedEvaluation;
import dev.bonsai.experiments.bench.TorchPeer;
import dev.bonsai.experiments.descriptor.PluginOptions;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.experiments.plugins.PluginRegistry;
import dev.bonsai.experiments.run.TrialRunner;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.ModelFormats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code bonsai bench --pretrained} measures: a pretrained language model's evaluation of a tokenised dataset's
 * test windows, under the evaluation protocol of a run, and the same windows through the PyTorch peer
 * ({@code torch_llama.py}, tinystories only).
 */
final class PretrainedBench {
    /** The metric of the evaluation throughput: windows × window tokens per second. */
    static final String TOKENS_PER_S = "eval_tokens_per_s";
    /** The metric of the perplexity over the evaluated windows' predictions. */
    static final String PERPLEXITY = "test_perplexity";
    /** The engine name of the peer's measurements. */
    static final String PEER = "torch-peer";
    private static final String LLAMA2C = "llama2c";

    private final ModelFile model;
    private final String modelName;
    private final Path modelPath;
    private final String datasetId;
    private final Split windows;
    private final int windowTokens;
    private final Path text;

    private PretrainedBench(ModelFile model, String modelName, Path modelPath, String datasetId, Split windows,
            int windowTokens, Path text) {
        this.model = model;
        this.modelName = modelName;
        this.modelPath = modelPath;
        this.datasetId = datasetId;
        this.windows = windows;
        this.windowTokens = windowTokens;
        this.text = text;
    }

    /**
     * Reads the model at {@code path} and the test windows of dataset {@code datasetId} in its tokens.
     *
     * @param context     tokens per window; 0 for the dataset's default (the model's context)
     * @param windowCount the first that many test windows; 0 for all
     * @param dataDir     a data root looked in before {@code BONSAI_DATA_DIR}, or null
     */
    static PretrainedBench load(PluginRegistry registry, Path path, String datasetId, int context, int windowCount,
            Path dataDir) {
        ModelFile model = ModelFile.read(path);
        if (model.tokenizer().isEmpty() || model.pretrained().isEmpty()) {
            throw new BonsaiException("--pretrained " + path + " is model '" + model.spec().name() + "', which has no "
                    + "tokenizer of its own: name a pretrained language model (llama2.c .bin, GGUF, Hugging Face "
                    + "folder) or a run's checkpoint of one");
        }
        Plugin<?> plugin = registry.find(PluginKind.DATASET, datasetId).orElseThrow(() -> new BonsaiException(
                "unknown --dataset '" + datasetId + "' (known: " + String.join(", ",
                        registry.of(PluginKind.DATASET).keySet()) + ")"));
        if (!(plugin instanceof TokenizedTextProvider<?> provider)) {
            throw new BonsaiException("--dataset '" + datasetId + "' is not text a pretrained model's tokenizer "
                    + "tokenises; use one that is, such as " + TinyStoriesProvider.ID);
        }
        DataFiles files = new DataFileResolver(DataLocations.fromEnvironment().withDataDir(dataDir));
        DecoderConfig config = model.pretrained().get();
        Dataset data = load(provider, context, files, model, config.context());
        Split test = data.test();
        if (windowCount > test.size()) {
            throw new BonsaiException("--windows " + windowCount + " is more than the " + test.size() + " test "
                    + "windows of " + datasetId + "; use at most " + test.size() + ", or 0 for all");
        }
        Split windows = PretrainedEvaluation.first(test, windowCount == 0 ? test.size() : windowCount);
        int predictions = windows.labelsPerSample();
        Path text = datasetId.equals(TinyStoriesProvider.ID)
                ? files.resolve(TinyStoriesProvider.ID, TinyStoriesProvider.FILE) : null;
        ModelFile sized = new ModelFile(config.toSpec(model.spec().name(), predictions), model.weights(),
                model.vocabulary(), model.tokenizer(), model.pretrained());
        return new PretrainedBench(sized, model.spec().name(), path, datasetId, windows, predictions + 1, text);
    }

    @SuppressWarnings("unchecked")
    private static <O extends Record> Dataset load(TokenizedTextProvider<O> provider, int context, DataFiles files,
            ModelFile model, int modelContext) {
        O options = PluginOptions.bind(provider, context > 0 ? "{context: " + context + "}" : "{}", "--context");
        return provider.load(options, files, model.tokenizer().get(), modelContext);
    }

    /** The model's name, as the measurements show it. */
    String modelName() {
        return modelName;
    }

    /** The model, reading the windows. */
    ModelSpec spec() {
        return model.spec();
    }

    /** The windows evaluated. */
    Split windows() {
        return windows;
    }

    /** The evaluation batch of a run, which the bench uses too. */
    int batch() {
        return TrialRunner.evalBatch(windows);
    }

    /** Bonsai's evaluation on {@code runtime}'s {@code device}, as a throughput and a perplexity measurement. */
    List<Measurement> measure(EngineRuntime runtime, String device, int threads, int repeats, String machine) {
        ModelSpec spec = model.spec();
        PretrainedEvaluation.Result r = PretrainedEvaluation.measure(runtime, device, spec, model.weights(), windows,
                windowTokens, batch(), repeats);
        return List.of(
                new Measurement(runtime.engineId(), device, modelName, r.batch(), threads, TOKENS_PER_S,
                        r.tokensPerSecond(), machine),
                new Measurement(runtime.engineId(), device, modelName, r.batch(), threads, PERPLEXITY, r.perplexity(),
                        machine));
    }

    /**
     * Refuses, before any work, a bench the peer cannot join: another dataset than tinystories, a model that is not
     * llama2.c, a script that is missing or a Python without PyTorch.
     */
    void checkPeer(String python, Path script) {
        if (text == null) {
            throw new BonsaiException("--peer evaluates " + TinyStoriesProvider.ID + " only (its protocol is the "
                    + "peer's), not --dataset " + datasetId + "; drop --peer or use --dataset "
                    + TinyStoriesProvider.ID);
        }
        String format;
        try {
            format = ModelFormats.detect(modelPath).id();
        } catch (IllegalArgumentException e) {
            format = "not a published model file (" + e.getMessage() + ")";
        }
        if (!format.equals(LLAMA2C)) {
            throw new BonsaiException("--peer reads llama2.c models only (a folder or .bin with its tok*.bin), and "
                    + modelPath + " is " + format + "; drop --peer or bench a llama2.c .bin");
        }
        if (!Files.isRegularFile(script)) {
            throw new BonsaiException("peer script " + script + " does not exist; name torch_llama.py with --peer");
        }
        TorchPeer.requireTorch(python);
    }

    /**
     * The peer's evaluation of the same windows: the same text, context, window count and batch. Only tinystories and
     * llama2.c models have a peer ({@link #checkPeer}).
     */
    List<Measurement> measurePeer(String python, Path script, int threads, String machine) {
        Path folder = Files.isDirectory(modelPath) ? modelPath : modelPath.toAbsolutePath().getParent();
        TorchPeer.LanguageModelEvaluation peer = TorchPeer.evaluate(python, script, folder, text, windowTokens,
                windows.size(), batch(), threads);
        if (peer.windows() != windows.size() || peer.predictions() != (long) windows.size() * (windowTokens - 1)) {
            throw new BonsaiException("the peer evaluated " + peer.windows() + " windows (" + peer.predictions()
                    + " predictions) where Bonsai evaluated " + windows.size() + " ("
                    + (long) windows.size() * (windowTokens - 1) + "): they did not read the same windows of "
                    + text);
        }
        List<Measurement> out = new ArrayList<>();
        out.add(new Measurement(PEER, "cpu", modelName, batch(), threads, TOKENS_PER_S, peer.tokensPerSecond(),
                machine));
        out.add(new Measurement(PEER, "cpu", modelName, batch(), threads, PERPLEXITY, peer.perplexity(), machine));
        return out;
    }
}
