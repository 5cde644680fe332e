package dev.bonsai.datasets.text;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.data.TokenizedTextProvider;
import dev.bonsai.api.data.Tokenizer;
import dev.bonsai.api.model.Shape;
import dev.bonsai.datasets.KnownFile;
import dev.bonsai.datasets.KnownFiles;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * TinyStories (Eldan and Li, 2023; CDLA-Sharing-1.0): the first 4,300 blank-line blocks of the Hugging Face
 * {@code validation} split, the domain of llama2.c's small story models, evaluated by perplexity over the
 * pretrained model's own tokens.
 *
 * <p><b>Protocol</b> (that of the PyTorch yardstick the LLM results are compared with): the file is read as UTF-8
 * and split on {@code "\n\n"}; each part is stripped (Python's {@code str.strip()}) and empty parts are dropped,
 * which gives N documents (paragraphs of a story are documents too: story boundaries are not in the file). The first
 * {@code floor(0.2 N)} documents are the calibration split (the dataset's training split), the rest the test split.
 * Each split is one stream: every document's BOS and tokens ({@link Tokenizer#encode}), concatenated; no EOS. The
 * test split is the {@linkplain PerplexityWindows#evaluation evaluation windows} of its stream; the calibration
 * split holds a window of the same length every {@code calibrationStride} tokens. Samples are the first
 * {@code ctx − 1} tokens of a window, labelled with the next token at each position.
 *
 * <p>Without a tokenizer (a model that is not pretrained) the dataset refuses to load: its figures mean something
 * only over a pretrained model's tokens.
 */
public final class TinyStoriesProvider implements TokenizedTextProvider<TinyStoriesOptions>, KnownFiles {
    /** The dataset id. */
    public static final String ID = "tinystories";
    /** The fraction of the documents, from the start, that is the calibration split. */
    public static final double CALIBRATION_FRACTION = 0.2;
    /** The text: 794,375 bytes of UTF-8, one story or paragraph per blank-line block. */
    public static final DataFile FILE = new DataFile("tinystories_val.txt",
            "5fc1fb0113df62b567fb271806cd645ce8d75f59c58ca0b764c03d3b6ff34ca6", 794_375L,
            List.of(URI.create("https://raw.githubusercontent.com/yuninxia/moe-routing-bench/"
                    + "bb9bb0bd461aa77cf6ab89423b758f586a6f75d1/data/tinystories_val.txt")));
    private static final Logger LOG = LogManager.getLogger(TinyStoriesProvider.class);

    /** The provider (for {@link java.util.ServiceLoader}). */
    public TinyStoriesProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "TinyStories validation text (4,300 blocks) for perplexity in a pretrained model's tokens: first 20% "
                + "of the documents calibrate, the rest test";
    }

    @Override
    public Class<TinyStoriesOptions> optionsType() {
        return TinyStoriesOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public List<DataFile> files(TinyStoriesOptions options) {
        return List.of(FILE);
    }

    @Override
    public List<KnownFile> knownFiles() {
        return List.of(new KnownFile(ID, FILE, false));
    }

    /** Refuses: the dataset is tokenised by a pretrained model's tokenizer. */
    @Override
    public Dataset load(TinyStoriesOptions options, DataFiles files) {
        throw new BonsaiException("dataset '" + ID + "' is evaluated in a pretrained model's own tokens, and this "
                + "model brings no tokenizer: use it with a pretrained language model (model: pretrained), or use "
                + "the 'text' dataset on " + FILE.path() + " for a character- or word-level model");
    }

    @Override
    public Dataset load(TinyStoriesOptions options, DataFiles files, Tokenizer tokenizer, int modelContext) {
        long started = System.nanoTime();
        int context = PerplexityWindows.context(options.context().orElse(0), modelContext, ID);
        Path path = files.resolve(ID, FILE);
        List<String> documents = TextDocuments.paragraphs(TextCorpus.readUtf8(path));
        int calibrationDocuments = calibrationDocuments(documents.size());
        if (calibrationDocuments == 0) {
            throw new BonsaiException(ID + " (" + path + ") has " + documents.size() + " documents, too few for a "
                    + "calibration split of the first 20%");
        }
        int[] calibration = PerplexityWindows.stream(documents.subList(0, calibrationDocuments), tokenizer);
        int[] test = PerplexityWindows.stream(documents.subList(calibrationDocuments, documents.size()), tokenizer);
        String what = ID + " (" + path + ")";
        Split train = PerplexityWindows.calibration("train", calibration, context, options.calibrationStride(),
                what);
        Split testSplit = PerplexityWindows.evaluation("test", test, context, what);
        LOG.info("Loaded {}: {} documents ({} calibration, {} test), streams of {} and {} tokens; {} calibration "
                + "windows and {} test windows of {} tokens ({} predictions) in {} ms", ID, documents.size(),
                calibrationDocuments, documents.size() - calibrationDocuments, calibration.length, test.length,
                train.size(), testSplit.size(), context, (long) testSplit.size() * (context - 1),
                (System.nanoTime() - started) / 1_000_000);
        DatasetInfo info = new DatasetInfo(ID, Shape.of(context - 1), tokenizer.vocabularySize(),
                Map.of(FILE.path(), FILE.sha256()));
        return new Dataset(info, train, Optional.empty(), testSplit);
    }

    /** The number of calibration documents of {@code documents}: {@code floor(0.2 N)}. */
    static int calibrationDocuments(int documents) {
        return (int) Math.floor(CALIBRATION_FRACTION * documents);
    }

    @Override
    public String protocol(TinyStoriesOptions options, int modelContext) {
        int context = PerplexityWindows.context(options.context().orElse(0), modelContext, ID);
        return ID + ": " + FILE.path() + " split on blank lines into stripped non-empty documents; the first 20% "
                + "calibrate, the rest are the test stream of [BOS] + tokens per document; "
                + PerplexityWindows.describeEvaluation(context);
    }
}
