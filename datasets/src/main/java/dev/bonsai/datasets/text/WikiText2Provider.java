package dev.bonsai.datasets.text;

import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.Shape;
import dev.bonsai.datasets.KnownFile;
import dev.bonsai.datasets.KnownFiles;
import dev.bonsai.datasets.files.DataFileResolver;
import dev.bonsai.datasets.files.FileStatus;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * WikiText-2 (Merity et al., 2016; CC BY-SA 3.0): word-level language modelling on Wikipedia articles, tokenised
 * ({@code variant: tokens}, folder {@code wikitext-2/}) or raw ({@code variant: raw}, folder {@code wikitext-2-raw/}).
 * Each line's whitespace-separated words are followed by {@code <eos>}, as in the benchmark's published token
 * counts (validation 217,646, test 245,569).
 *
 * <p><b>Splits and vocabulary.</b> When the training file ({@code wiki.train.tokens} / {@code wiki.train.raw}) is
 * present in one of the data locations, the vocabulary is built from it (words in order of first appearance, plus
 * {@code <unk>}), the model trains on it and the test split is {@code wiki.test.*}; the validation file is not used
 * (a host-side validation hold-out can be taken from the training windows). The training file is never downloaded:
 * it has no per-file canonical source and no first-party checksum; its SHA-256 is computed and recorded, and for the
 * raw variant compared with a third-party reference value (a mismatch is a warning).
 *
 * <p><b>Without the training file</b> (as in offline copies that hold only validation and test), the vocabulary is
 * built from the validation file, <b>the validation file is used as training data</b>, and the test file is the test
 * split; test words missing from that vocabulary become {@code <unk>}. A warning says so: perplexities from such runs
 * are not comparable with published WikiText-2 results.
 */
public final class WikiText2Provider implements DatasetProvider<WikiTextOptions>, KnownFiles {
    /** The dataset id. */
    public static final String ID = "wikitext-2";
    /** The folder of the raw release. */
    public static final String RAW_FOLDER = "wikitext-2-raw";
    /**
     * A third-party SHA-256 of {@code wiki.train.raw}, not verified against a first-party source: a mismatch is
     * logged, not an error.
     */
    public static final String TRAIN_RAW_REFERENCE_SHA256 =
            "6707892fa3788b5ab9ed78ab5ff37d9fe825f6011a2ad4fcd6a6d467f0e7da57";
    private static final String TOKENS_MIRROR = "https://raw.githubusercontent.com/pytorch/examples/"
            + "77f55b912142e11fcfdf5b530231fb9c52f181e8/word_language_model/data/wikitext-2/";
    private static final String RAW_MIRROR = "https://raw.githubusercontent.com/pytorch/examples/"
            + "cf74c81ec00256a9511c054aaf0b3f62cd3aa62d/word_language_model/data/wikitext-2/";
    private static final Logger LOG = LogManager.getLogger(WikiText2Provider.class);

    /** The tokenised validation file. */
    public static final DataFile VALID_TOKENS = new DataFile("wiki.valid.tokens",
            "f0737ed31fc1329026e95cb8b98e19c2a182c39c240ab909dc31abf2f8af58e8", 1_121_681L,
            List.of(URI.create(TOKENS_MIRROR + "valid.txt")));
    /** The tokenised test file. */
    public static final DataFile TEST_TOKENS = new DataFile("wiki.test.tokens",
            "d790b833ef8cf03a90db7bf1271b7520b83c45ce07ba3c1a9699df81e239eca0", 1_256_449L,
            List.of(URI.create(TOKENS_MIRROR + "test.txt")));
    /** The raw validation file. */
    public static final DataFile VALID_RAW = new DataFile("wiki.valid.raw",
            "4cd0f6876d07a413aa911261ff6d363c72d757d47f0fdd6015702014c89cb9c7", 1_146_846L,
            List.of(URI.create(RAW_MIRROR + "valid.txt")));
    /** The raw test file. */
    public static final DataFile TEST_RAW = new DataFile("wiki.test.raw",
            "173c87a53759e0201f33e0ccf978e510c2042d7f2cb78229d9a50d79b9e7dd08", 1_290_590L,
            List.of(URI.create(RAW_MIRROR + "test.txt")));
    /** The tokenised training file: optional, no known checksum. */
    public static final DataFile TRAIN_TOKENS = new DataFile("wiki.train.tokens", "", -1, List.of());
    /** The raw training file: optional, with a third-party reference checksum. */
    public static final DataFile TRAIN_RAW = new DataFile("wiki.train.raw", TRAIN_RAW_REFERENCE_SHA256, -1,
            List.of());

    /** The provider (for {@link java.util.ServiceLoader}). */
    public WikiText2Provider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "WikiText-2 word-level language modelling (tokens or raw); trains on validation when train is absent";
    }

    @Override
    public Class<WikiTextOptions> optionsType() {
        return WikiTextOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    /** The folder the variant's files are looked up under. */
    public static String folder(WikiTextOptions.Variant variant) {
        return variant == WikiTextOptions.Variant.RAW ? RAW_FOLDER : ID;
    }

    @Override
    public List<DataFile> files(WikiTextOptions options) {
        return options.variant() == WikiTextOptions.Variant.RAW ? List.of(VALID_RAW, TEST_RAW)
                : List.of(VALID_TOKENS, TEST_TOKENS);
    }

    @Override
    public List<KnownFile> knownFiles() {
        return List.of(new KnownFile(ID, TRAIN_TOKENS, true), new KnownFile(ID, VALID_TOKENS, false),
                new KnownFile(ID, TEST_TOKENS, false), new KnownFile(RAW_FOLDER, TRAIN_RAW, true),
                new KnownFile(RAW_FOLDER, VALID_RAW, false), new KnownFile(RAW_FOLDER, TEST_RAW, false));
    }

    @Override
    public Dataset load(WikiTextOptions options, DataFiles files) {
        long started = System.nanoTime();
        boolean raw = options.variant() == WikiTextOptions.Variant.RAW;
        String folder = folder(options.variant());
        DataFile validFile = raw ? VALID_RAW : VALID_TOKENS;
        DataFile testFile = raw ? TEST_RAW : TEST_TOKENS;
        DataFile trainFile = raw ? TRAIN_RAW : TRAIN_TOKENS;
        Map<String, String> sha256 = new LinkedHashMap<>();

        Optional<Path> trainPath = Optional.empty();
        if (files instanceof DataFileResolver resolver) {
            trainPath = resolver.find(folder, trainFile).map(FileStatus::path);
        }
        Path testPath = files.resolve(folder, testFile);
        List<String> trainTokens;
        String trainSource;
        if (trainPath.isPresent()) {
            String actual = DataFileResolver.sha256(trainPath.get());
            if (raw && !actual.equals(TRAIN_RAW_REFERENCE_SHA256)) {
                LOG.warn("{}: {} has SHA-256 {}, not the third-party reference {}; using it anyway", ID,
                        trainPath.get(), actual, TRAIN_RAW_REFERENCE_SHA256);
            }
            sha256.put(trainFile.path(), actual);
            trainTokens = TextCorpus.words(TextCorpus.readUtf8(trainPath.get()));
            trainSource = trainFile.path();
        } else {
            Path validPath = files.resolve(folder, validFile);
            sha256.put(validFile.path(), validFile.sha256());
            LOG.warn("{}: {} was not found in any data location, so the vocabulary is built from {} and the model "
                    + "TRAINS ON THE VALIDATION SPLIT ({}); the test split is {}. Perplexities are not comparable "
                    + "with published WikiText-2 results. Put {} beside {} to train on the real training split.",
                    ID, trainFile.path(), validFile.path(), validPath, testFile.path(), trainFile.path(), validPath);
            trainTokens = TextCorpus.words(TextCorpus.readUtf8(validPath));
            trainSource = validFile.path();
        }
        sha256.put(testFile.path(), testFile.sha256());
        List<String> vocabulary = TextCorpus.wordVocabulary(trainTokens);
        int[] trainIds = TextCorpus.encodeWords(trainTokens, vocabulary, null);
        trainTokens = null;
        int[] unknown = new int[1];
        int[] testIds = TextCorpus.encodeWords(TextCorpus.words(TextCorpus.readUtf8(testPath)), vocabulary, unknown);
        String what = ID + " (" + folder + ")";
        Split train = TextCorpus.windows("train", trainIds, options.context(), options.effectiveStride(), what);
        Split test = TextCorpus.windows("test", testIds, options.context(), options.effectiveStride(), what);
        LOG.info("Loaded {} ({}): {} training tokens from {}, {} test tokens ({} not in the vocabulary), vocabulary "
                + "{}, {} training and {} test windows of {} in {} ms", ID, options.variant(), trainIds.length,
                trainSource, testIds.length, unknown[0], vocabulary.size(), train.size(), test.size(),
                options.context(), (System.nanoTime() - started) / 1_000_000);
        DatasetInfo info = new DatasetInfo(ID, Shape.of(options.context()), vocabulary.size(), sha256, vocabulary);
        return new Dataset(info, train, Optional.empty(), test);
    }
}
