package dev.bonsai.datasets.text;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import java.util.Optional;

/**
 * The options of the {@code text} dataset: a user's UTF-8 text file.
 *
 * @param file         the training text (or the whole text, when {@code testFile} is absent)
 * @param testFile     a separate test text
 * @param level        character or word tokens
 * @param context      tokens per sample
 * @param stride       how many tokens apart samples start; the context when absent
 * @param testFraction the fraction of {@code file}, from its end, used as the test split when there is no test file
 */
@Doc("Options of the text dataset: language modelling on any UTF-8 text file, by character or by word.")
public record TextFileOptions(
        @Doc("The UTF-8 text file; relative paths are resolved against the dataset path, else the working directory.")
        String file,
        @Doc("A separate UTF-8 test file; when absent, the last test_fraction of the file is the test split.")
        Optional<String> testFile,
        @Doc("char: one token per Unicode code point (vocabulary: the distinct characters of all files, sorted); "
                + "word: whitespace-separated words plus <eos> per line (vocabulary from the training text, "
                + "in order of first appearance, plus <unk>).")
        @DefaultValue("char")
        Level level,
        @Doc("Tokens per sample (the model's context length T); each position is labelled with the next token.")
        @DefaultValue("64") @Range(min = 1, max = 1_000_000)
        int context,
        @Doc("How many tokens apart consecutive samples start; defaults to the context (samples do not overlap).")
        @Range(min = 1)
        Optional<Integer> stride,
        @Doc("Without a test file: the fraction of the tokens, taken from the end, used as the test split.")
        @DefaultValue("0.1") @Range(min = 0, max = 1, minExclusive = true, maxExclusive = true)
        double testFraction) {

    /** The stride in effect. */
    public int effectiveStride() {
        return stride.orElse(context);
    }

    /** How text is cut into tokens. */
    public enum Level {
        /** One token per Unicode code point. */
        CHAR,
        /** Whitespace-separated words, and {@code <eos>} at the end of each line. */
        WORD
    }
}
