package dev.bonsai.api.data;

import dev.bonsai.api.Experimental;

/**
 * A text dataset that a pretrained language model's own {@link Tokenizer} tokenises, so that perplexities are
 * computed over the model's tokens as papers compute them. The host calls
 * {@link #load(Record, DataFiles, Tokenizer, int)} when the model brings a tokenizer (a pretrained model) and
 * {@link #load(Record, DataFiles)} otherwise; a provider that has no meaning without a tokenizer refuses the latter
 * with a message saying which models it needs.
 *
 * <p>The loaded splits are {@linkplain Split#ofTokenWindows token windows}: each sample is a window of the stream,
 * labelled with the next token at every position. {@link #protocol(Record, int)} says in words how the text became the windows
 * (documents, special tokens, window placement), for the evaluation record; the counts (windows, predicted tokens)
 * are those of the splits.
 *
 * @param <O> the options record
 */
@Experimental("arrives with pretrained language models; may gain batch or streamed tokenisation")
public interface TokenizedTextProvider<O extends Record> extends DatasetProvider<O> {

    /**
     * Decodes the dataset and tokenises it with {@code tokenizer}.
     *
     * @param options      its options
     * @param files        resolves and verifies each of {@link #files(Record)}
     * @param tokenizer    the model's tokenizer; the dataset's classes are its {@link Tokenizer#vocabularySize()}
     * @param modelContext the longest sequence the model was trained on (its positions), which a window may not
     *                     exceed; a provider whose options leave the window length open uses it
     * @return the dataset, without a validation split
     * @throws dev.bonsai.api.BonsaiException when a file is malformed, or the windows do not fit the model or the
     *                                         text, saying what to change
     */
    Dataset load(O options, DataFiles files, Tokenizer tokenizer, int modelContext);

    /**
     * How the splits {@link #load(Record, DataFiles, Tokenizer, int)} makes with these options and this model context
     * are built from the text, in one or two sentences for the evaluation record: the documents, the special tokens
     * added, the window length, where windows start and how many predictions each makes.
     */
    String protocol(O options, int modelContext);
}
