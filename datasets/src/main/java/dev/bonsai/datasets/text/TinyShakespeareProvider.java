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
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Tiny Shakespeare (Karpathy's char-rnn {@code input.txt}, 1,115,394 characters): character-level language modelling
 * with a vocabulary of the file's distinct characters, sorted by code point (65 of them).
 *
 * <p>The split is the usual one by position: the first 90% of the characters ({@code floor(0.9 · n)}) are for
 * training, the last 10% for validation. Bonsai's {@link Dataset} has no provider-made validation split, so
 * <b>the last 10% is the dataset's test split</b>; a host-side validation hold-out ({@code dataset: {validation: N}})
 * is then taken from the training windows as for any dataset.
 *
 * <p>Samples are windows of {@code context} characters (features: {@code [T]} character ids as floats; labels: the
 * {@code T} next characters), starting every {@code stride} characters.
 */
public final class TinyShakespeareProvider implements DatasetProvider<TinyShakespeareOptions>, KnownFiles {
    /** The dataset id. */
    public static final String ID = "tinyshakespeare";
    /** The fraction of the text, from its start, used for training. */
    public static final double TRAIN_FRACTION = 0.9;
    /** The file, from char-rnn's repository. */
    public static final DataFile FILE = new DataFile("input.txt",
            "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed", 1_115_394L,
            List.of(URI.create("https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/"
                    + "input.txt")));
    private static final Logger LOG = LogManager.getLogger(TinyShakespeareProvider.class);

    private final DataFile file;

    /** The provider (for {@link java.util.ServiceLoader}). */
    public TinyShakespeareProvider() {
        this(FILE);
    }

    /** A provider of another copy of the file (tests). */
    TinyShakespeareProvider(DataFile file) {
        this.file = file;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Tiny Shakespeare: 1.1M characters, 65-character vocabulary, 90/10 split by position (last 10% = test)";
    }

    @Override
    public Class<TinyShakespeareOptions> optionsType() {
        return TinyShakespeareOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public List<DataFile> files(TinyShakespeareOptions options) {
        return List.of(file);
    }

    @Override
    public List<KnownFile> knownFiles() {
        return List.of(new KnownFile(ID, file, false));
    }

    @Override
    public Dataset load(TinyShakespeareOptions options, DataFiles files) {
        long started = System.nanoTime();
        Path path = files.resolve(ID, file);
        String text = TextCorpus.readUtf8(path);
        List<String> vocabulary = TextCorpus.characters(text);
        int[] ids = TextCorpus.encodeCharacters(text, vocabulary, "Text file " + path);
        int cut = (int) (ids.length * TRAIN_FRACTION);
        String what = ID + " (" + path + ")";
        int stride = options.effectiveStride();
        Split train = TextCorpus.windows("train", Arrays.copyOfRange(ids, 0, cut), options.context(), stride, what);
        Split test = TextCorpus.windows("test", Arrays.copyOfRange(ids, cut, ids.length), options.context(), stride,
                what);
        LOG.info("Loaded {}: {} characters ({} train, {} test), vocabulary {}, {} training and {} test windows of {} "
                + "in {} ms", ID, ids.length, cut, ids.length - cut, vocabulary.size(), train.size(), test.size(),
                options.context(), (System.nanoTime() - started) / 1_000_000);
        DatasetInfo info = new DatasetInfo(ID, Shape.of(options.context()), vocabulary.size(),
                Map.of(file.path(), file.sha256()), vocabulary);
        return new Dataset(info, train, Optional.empty(), test);
    }
}
