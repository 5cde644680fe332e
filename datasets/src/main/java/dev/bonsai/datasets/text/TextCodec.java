package dev.bonsai.datasets.text;

import dev.bonsai.api.BonsaiException;
import java.util.List;

/**
 * Text to token ids and back for a text model's vocabulary, as {@link TextCorpus} tokenises its corpora: a
 * vocabulary whose every token is one code point is character-level; any other is word-level (whitespace-separated
 * words, a line break as {@value TextCorpus#EOS}, unknown words as {@value TextCorpus#UNK}).
 */
public final class TextCodec {
    private final List<String> vocabulary;
    private final boolean characters;

    /**
     * A codec for {@code vocabulary}.
     *
     * @throws BonsaiException when the vocabulary is empty (the model is not a text model)
     */
    public TextCodec(List<String> vocabulary) {
        if (vocabulary.isEmpty()) {
            throw new BonsaiException("the model has no vocabulary: it was not trained on text, so text cannot be "
                    + "encoded or decoded for it");
        }
        this.vocabulary = List.copyOf(vocabulary);
        this.characters = vocabulary.stream().allMatch(t -> t.codePointCount(0, t.length()) == 1);
    }

    /** Whether tokens are characters (else words). */
    public boolean characterLevel() {
        return characters;
    }

    /** The token of each id. */
    public List<String> vocabulary() {
        return vocabulary;
    }

    /**
     * The ids of {@code text}. Characters not in a character vocabulary are an error; words not in a word vocabulary
     * become {@value TextCorpus#UNK}. A word-level text gets {@value TextCorpus#EOS} for each line break it has.
     *
     * @throws BonsaiException naming a character the vocabulary lacks
     */
    public int[] encode(String text) {
        if (characters) {
            return TextCorpus.encodeCharacters(text, vocabulary, "the prompt");
        }
        List<String> words = TextCorpus.words(text);
        if (!text.endsWith("\n") && !words.isEmpty()) {
            words = words.subList(0, words.size() - 1);
        }
        return TextCorpus.encodeWords(words, vocabulary, null);
    }

    /** The text of {@code ids}: characters concatenated, or words joined by spaces with a line break per end of line. */
    public String decode(int[] ids) {
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            String token = vocabulary.get(id);
            if (characters) {
                out.append(token);
            } else if (token.equals(TextCorpus.EOS)) {
                out.append('\n');
            } else {
                if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                    out.append(' ');
                }
                out.append(token);
            }
        }
        return out.toString();
    }

    /** The id a line starts after: the line break's, if the vocabulary has one. */
    public java.util.OptionalInt lineBreak() {
        int id = vocabulary.indexOf(characters ? "\n" : TextCorpus.EOS);
        return id < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(id);
    }
}
