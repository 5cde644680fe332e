/**
 * Text datasets for language modelling: {@link dev.bonsai.datasets.text.TinyShakespeareProvider}
 * ({@code tinyshakespeare}), {@link dev.bonsai.datasets.text.WikiText2Provider} ({@code wikitext-2}) and
 * {@link dev.bonsai.datasets.text.TextFileProvider} ({@code text}); {@link dev.bonsai.datasets.text.TextCorpus}
 * decodes, tokenises and cuts text into windows of token ids labelled with the next token.
 *
 * <p>{@link dev.bonsai.datasets.text.TinyStoriesProvider} ({@code tinystories}) and
 * {@link dev.bonsai.datasets.text.WikiText2RawProvider} ({@code wikitext-2-raw}) are tokenised by a pretrained
 * model's own tokenizer ({@link dev.bonsai.api.data.TokenizedTextProvider}) and windowed as the perplexity protocol
 * of language-model papers: {@link dev.bonsai.datasets.text.TextDocuments} cuts the text into documents or rows as
 * the Python scripts that define the protocols do, {@link dev.bonsai.datasets.text.PerplexityWindows} makes the
 * token streams and the windows.
 */
package dev.bonsai.datasets.text;
