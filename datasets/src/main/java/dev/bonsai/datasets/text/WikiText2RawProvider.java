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
import dev.bonsai.datasets.files.DataFileResolver;
import dev.bonsai.datasets.files.FileStatus;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * WikiText-2 raw (Merity et al., 2016; CC BY-SA 3.0) evaluated as GPTQ, SparseGPT and Wanda evaluate pretrained
 * language models, in the model's own tokens.
 *
 * <p><b>Test split</b>: the rows of {@code wiki.test.raw} as the Hugging Face {@code wikitext-2-raw-v1} dataset
 * holds them (one row per line, with its line break; a blank line is the empty row:
 * {@link TextDocuments#lineRows}), joined with {@code "\n\n"} as the papers' {@code "\n\n".join(test["text"])}
 * does, then encoded once, after the tokenizer's BOS where it has one (as a Hugging Face tokenizer adds it), and
 * cut into the {@linkplain PerplexityWindows#evaluation evaluation windows} of {@code seqlen} tokens
 * ({@code numel // seqlen} of them, each with {@code seqlen − 1} predictions).
 *
 * <p><b>Calibration (training) split</b>: the papers' loader joins the training rows with a space
 * ({@code " ".join(train["text"])}) and encodes them once; so does this one, from {@code wiki.train.raw} when it is
 * in a data location, else from {@code wiki.valid.raw} with a warning (offline copies may lack the training file).
 * The papers calibrate on C4; this is the WikiText-2 calibration their loader offers. A window of {@code seqlen}
 * tokens starts every {@code calibrationStride} tokens.
 *
 * <p>Without a tokenizer the dataset refuses to load: the word-level {@code wikitext-2} dataset ({@code variant:
 * raw}) is the one for models without a tokenizer.
 */
public final class WikiText2RawProvider implements TokenizedTextProvider<WikiText2RawOptions>, KnownFiles {
    /** The dataset id, also the folder its files are looked up under. */
    public static final String ID = WikiText2Provider.RAW_FOLDER;
    private static final Logger LOG = LogManager.getLogger(WikiText2RawProvider.class);

    /** The provider (for {@link java.util.ServiceLoader}). */
    public WikiText2RawProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "WikiText-2 raw test perplexity in a pretrained model's tokens, as GPTQ/SparseGPT/Wanda measure it";
    }

    @Override
    public Class<WikiText2RawOptions> optionsType() {
        return WikiText2RawOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public List<DataFile> files(WikiText2RawOptions options) {
        return List.of(WikiText2Provider.VALID_RAW, WikiText2Provider.TEST_RAW);
    }

    @Override
    public List<KnownFile> knownFiles() {
        return List.of(new KnownFile(ID, WikiText2Provider.TRAIN_RAW, true),
                new KnownFile(ID, WikiText2Provider.VALID_RAW, false),
                new KnownFile(ID, WikiText2Provider.TEST_RAW, false));
    }

    /** Refuses: the dataset is tokenised by a pretrained model's tokenizer. */
    @Override
    public Dataset load(WikiText2RawOptions options, DataFiles files) {
        throw new BonsaiException("dataset '" + ID + "' is evaluated in a pretrained model's own tokens, and this "
                + "model brings no tokenizer: use it with a pretrained language model (model: pretrained), or use "
                + "dataset 'wikitext-2' with variant: raw for a word-level model");
    }

    @Override
    public Dataset load(WikiText2RawOptions options, DataFiles files, Tokenizer tokenizer, int modelContext) {
        long started = System.nanoTime();
        int context = PerplexityWindows.context(options.context().orElse(0), modelContext, ID);
        Map<String, String> sha256 = new LinkedHashMap<>();
        Optional<Path> trainPath = Optional.empty();
        if (files instanceof DataFileResolver resolver) {
            trainPath = resolver.find(ID, WikiText2Provider.TRAIN_RAW).map(FileStatus::path);
        }
        Path calibrationPath;
        if (trainPath.isPresent()) {
            calibrationPath = trainPath.get();
            String actual = DataFileResolver.sha256(calibrationPath);
            if (!actual.equals(WikiText2Provider.TRAIN_RAW_REFERENCE_SHA256)) {
                LOG.warn("{}: {} has SHA-256 {}, not the third-party reference {}; using it anyway", ID,
                        calibrationPath, actual, WikiText2Provider.TRAIN_RAW_REFERENCE_SHA256);
            }
            sha256.put(WikiText2Provider.TRAIN_RAW.path(), actual);
        } else {
            calibrationPath = files.resolve(ID, WikiText2Provider.VALID_RAW);
            sha256.put(WikiText2Provider.VALID_RAW.path(), WikiText2Provider.VALID_RAW.sha256());
            LOG.warn("{}: {} was not found in any data location, so the calibration split is {} ({}); the test "
                    + "split is unaffected", ID, WikiText2Provider.TRAIN_RAW.path(),
                    WikiText2Provider.VALID_RAW.path(), calibrationPath);
        }
        Path testPath = files.resolve(ID, WikiText2Provider.TEST_RAW);
        sha256.put(WikiText2Provider.TEST_RAW.path(), WikiText2Provider.TEST_RAW.sha256());

        int[] calibration = PerplexityWindows.withBos(tokenizer.encode(
                String.join(" ", TextDocuments.lineRows(TextCorpus.readUtf8(calibrationPath)))), tokenizer);
        int[] test = PerplexityWindows.withBos(tokenizer.encode(testText(TextCorpus.readUtf8(testPath))), tokenizer);
        String what = ID + " (" + testPath.getParent() + ")";
        Split train = PerplexityWindows.calibration("train", calibration, context, options.calibrationStride(),
                what);
        Split testSplit = PerplexityWindows.evaluation("test", test, context, what);
        LOG.info("Loaded {}: calibration stream of {} tokens from {}, test stream of {} tokens; {} calibration "
                + "windows and {} test windows of {} tokens ({} predictions) in {} ms", ID, calibration.length,
                calibrationPath.getFileName(), test.length, train.size(), testSplit.size(), context,
                (long) testSplit.size() * (context - 1), (System.nanoTime() - started) / 1_000_000);
        DatasetInfo info = new DatasetInfo(ID, Shape.of(context - 1), tokenizer.vocabularySize(), sha256);
        return new Dataset(info, train, Optional.empty(), testSplit);
    }

    /** The test text the papers encode: the Hugging Face rows of {@code raw} joined with {@code "\n\n"}. */
    public static String testText(String raw) {
        return String.join("\n\n", TextDocuments.lineRows(raw));
    }

    @Override
    public String protocol(WikiText2RawOptions options, int modelContext) {
        int context = PerplexityWindows.context(options.context().orElse(0), modelContext, ID);
        return ID + ": the rows of " + WikiText2Provider.TEST_RAW.path() + " (one per line, blank lines empty) "
                + "joined with \"\\n\\n\" and encoded once after BOS, as GPTQ/SparseGPT's \"\\n\\n\".join(test"
                + "[\"text\"]); " + PerplexityWindows.describeEvaluation(context);
    }
}
