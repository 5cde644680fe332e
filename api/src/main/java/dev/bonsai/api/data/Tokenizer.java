package dev.bonsai.api.data;

import dev.bonsai.api.Experimental;
import java.util.OptionalInt;

/**
 * Text to token ids and back, as a pretrained model was trained with: llama2.c's and sentencepiece's BPE with byte
 * fallback, or a Hugging Face {@code tokenizer.json}. A model brings its tokenizer and text datasets are tokenised
 * by it, so perplexities are computed over the model's own tokens.
 */
@Experimental("arrives with pretrained language models; may gain batch encoding and offsets")
public interface Tokenizer {

    /** The number of token ids: every id is in {@code [0, vocabularySize())}. */
    int vocabularySize();

    /**
     * The ids of {@code text}, without the beginning- or end-of-sequence token (callers add {@link #bos()} where the
     * model uses one). Text the vocabulary cannot spell is spelled by byte-fallback tokens where the tokenizer has
     * them.
     */
    int[] encode(String text);

    /** The text of {@code ids}, control tokens omitted; bytes spelled by byte-fallback tokens are joined back. */
    String decode(int[] ids);

    /** The piece id {@code id} stands for, as the vocabulary spells it (for display and export). */
    String piece(int id);

    /** The beginning-of-sequence id, if the model uses one. */
    OptionalInt bos();

    /** The end-of-sequence id, if the model has one. */
    OptionalInt eos();
}
