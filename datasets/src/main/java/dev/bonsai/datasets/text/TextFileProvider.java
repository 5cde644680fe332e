package dev.bonsai.datasets.text;

import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.Shape;
import dev.bonsai.datasets.user.UserFiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Language modelling on a user's UTF-8 text file, by character or by word (see {@link TextFileOptions}). Samples
 * are windows of {@code context} token ids with the next token as the label at each position, as for
 * {@code tinyshakespeare}. Without a separate test file the last {@code test_fraction} of the tokens is the test
 * split. The files' SHA-256 are computed and recorded (there is no expected value).
 */
public final class TextFileProvider implements DatasetProvider<TextFileOptions> {
    /** The dataset id. */
    public static final String ID = "text";
    private static final Logger LOG = LogManager.getLogger(TextFileProvider.class);

    /** The provider (for {@link java.util.ServiceLoader}). */
    public TextFileProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Your own UTF-8 text file: character- or word-level language modelling";
    }

    @Override
    public Class<TextFileOptions> optionsType() {
        return TextFileOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    /** None: the files are the user's, named in the options, and have no expected checksum. */
    @Override
    public List<DataFile> files(TextFileOptions options) {
        return List.of();
    }

    @Override
    public Dataset load(TextFileOptions options, DataFiles files) {
        long started = System.nanoTime();
        Path trainPath = UserFiles.locate(files, "file", options.file());
        Optional<Path> testPath = options.testFile().map(f -> UserFiles.locate(files, "test_file", f));
        Map<String, String> sha256 = new LinkedHashMap<>();
        sha256.put(trainPath.toString(), UserFiles.sha256(trainPath));
        testPath.ifPresent(p -> sha256.put(p.toString(), UserFiles.sha256(p)));
        String trainText = TextCorpus.readUtf8(trainPath);
        String testText = testPath.map(TextCorpus::readUtf8).orElse(null);

        List<String> vocabulary;
        int[] trainIds;
        int[] testIds;
        if (options.level() == TextFileOptions.Level.CHAR) {
            vocabulary = TextCorpus.characters(testText == null ? trainText : trainText + testText);
            trainIds = TextCorpus.encodeCharacters(trainText, vocabulary, "Text file " + trainPath);
            testIds = testText == null ? null
                    : TextCorpus.encodeCharacters(testText, vocabulary, "Text file " + testPath.get());
        } else {
            List<String> trainTokens = TextCorpus.words(trainText);
            if (testText == null) {
                int cut = cut(trainTokens.size(), options.testFraction());
                List<String> head = trainTokens.subList(0, cut);
                vocabulary = TextCorpus.wordVocabulary(head);
                trainIds = TextCorpus.encodeWords(head, vocabulary, null);
                testIds = TextCorpus.encodeWords(trainTokens.subList(cut, trainTokens.size()), vocabulary, null);
            } else {
                vocabulary = TextCorpus.wordVocabulary(trainTokens);
                trainIds = TextCorpus.encodeWords(trainTokens, vocabulary, null);
                testIds = TextCorpus.encodeWords(TextCorpus.words(testText), vocabulary, null);
            }
        }
        if (testIds == null) {
            int cut = cut(trainIds.length, options.testFraction());
            testIds = Arrays.copyOfRange(trainIds, cut, trainIds.length);
            trainIds = Arrays.copyOfRange(trainIds, 0, cut);
        }
        String what = ID + " (" + trainPath + ")";
        Split train = TextCorpus.windows("train", trainIds, options.context(), options.effectiveStride(), what);
        Split test = TextCorpus.windows("test", testIds, options.context(), options.effectiveStride(), what);
        LOG.info("Loaded {} from {}: {} training and {} test {} tokens, vocabulary {}, {} training and {} test "
                + "windows in {} ms", ID, trainPath, trainIds.length, testIds.length,
                options.level().name().toLowerCase(java.util.Locale.ROOT), vocabulary.size(), train.size(),
                test.size(), (System.nanoTime() - started) / 1_000_000);
        DatasetInfo info = new DatasetInfo(ID, Shape.of(options.context()), vocabulary.size(), sha256, vocabulary);
        return new Dataset(info, train, Optional.empty(), test);
    }

    private static int cut(int n, double testFraction) {
        return (int) Math.round(n * (1 - testFraction));
    }
}
