package dev.bonsai.datasets.text;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Split;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reading and tokenising text corpora, and cutting token sequences into language-model samples.
 *
 * <p>Files are decoded as strict UTF-8: a malformed byte sequence is an error naming the file, the byte offset and
 * the line. Character-level tokens are Unicode code points; word-level tokens are the whitespace-separated words of
 * each line followed by {@value #EOS}, as in the WikiText benchmarks.
 *
 * <p>A sample is a window of {@code T} consecutive tokens: its features are the {@code T} token ids (as floats,
 * shape {@code [T]}), its {@code T} labels the ids of the tokens one position later. Windows start every
 * {@code stride} tokens; the last window ends at the last token that has a successor. The windows are views of
 * one copy of the token stream ({@link Split#ofTokenWindows}), so overlapping windows cost no memory.
 */
public final class TextCorpus {
    /** The end-of-line token of word-level corpora. */
    public static final String EOS = "<eos>";
    /** The unknown-word token of word-level corpora. */
    public static final String UNK = "<unk>";

    private TextCorpus() {
    }

    /**
     * The content of {@code file} decoded as strict UTF-8; a leading byte-order mark is dropped.
     *
     * @throws BonsaiException when it cannot be read, is empty, or is not valid UTF-8 (naming byte offset and line)
     */
    public static String readUtf8(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BonsaiException("Text file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new BonsaiException("Cannot read text file " + file + ": " + e, e);
        }
        if (bytes.length == 0) {
            throw new BonsaiException("Text file " + file + " is empty: expected UTF-8 text, found 0 bytes");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            StringBuilder found = new StringBuilder();
            for (int i = offset; i < Math.min(bytes.length, offset + result.length()); i++) {
                found.append(String.format("0x%02X ", bytes[i] & 0xFF));
            }
            throw new BonsaiException("Text file " + file + " is not valid UTF-8: at byte " + offset + " (line " + line
                    + ") expected a UTF-8 sequence, found the bytes " + found.toString().strip()
                    + ". Convert it to UTF-8 (for example: iconv -f LATIN1 -t UTF-8).");
        }
        try {
            result = decoder.flush(out);
            if (result.isError()) {
                result.throwException();
            }
        } catch (CharacterCodingException e) {
            throw new BonsaiException("Text file " + file + " is not valid UTF-8: it ends inside a character", e);
        }
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The text's code points, each as a one-code-point string, sorted by code point. */
    public static List<String> characters(String text) {
        TreeSet<Integer> seen = new TreeSet<>();
        text.codePoints().forEach(seen::add);
        List<String> out = new ArrayList<>(seen.size());
        for (int cp : seen) {
            out.add(new String(Character.toChars(cp)));
        }
        return out;
    }

    /**
     * The ids of the text's code points in {@code vocabulary} (one code point per entry).
     *
     * @throws BonsaiException when a character is not in the vocabulary
     */
    public static int[] encodeCharacters(String text, List<String> vocabulary, String what) {
        Map<Integer, Integer> index = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            index.put(vocabulary.get(i).codePointAt(0), i);
        }
        int[] ids = new int[text.codePointCount(0, text.length())];
        int k = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            Integer id = index.get(cp);
            if (id == null) {
                throw new BonsaiException(what + ": character U+" + String.format("%04X", cp)
                        + " is not in the vocabulary");
            }
            ids[k++] = id;
            i += Character.charCount(cp);
        }
        return ids;
    }

    /**
     * The word tokens of {@code text}: for each line, its whitespace-separated words and then {@value #EOS}. A final
     * line break does not start another line.
     */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>(text.length() / 5 + 16);
        int n = text.length();
        int lineStart = 0;
        while (lineStart < n) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = n;
            }
            int i = lineStart;
            while (i < lineEnd) {
                while (i < lineEnd && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                int start = i;
                while (i < lineEnd && !Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                if (i > start) {
                    out.add(text.substring(start, i));
                }
            }
            out.add(EOS);
            lineStart = lineEnd + 1;
        }
        return out;
    }

    /**
     * A word vocabulary: the distinct tokens of {@code tokens} in order of first appearance, with {@value #UNK}
     * appended when it does not occur.
     */
    public static List<String> wordVocabulary(List<String> tokens) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> vocabulary = new ArrayList<>();
        for (String t : tokens) {
            if (seen.putIfAbsent(t, vocabulary.size()) == null) {
                vocabulary.add(t);
            }
        }
        if (!seen.containsKey(UNK)) {
            vocabulary.add(UNK);
        }
        return vocabulary;
    }

    /**
     * The ids of {@code tokens} in {@code vocabulary}; a token not in it becomes {@value #UNK}.
     *
     * @return the ids, and (in {@code unknown[0]}) how many tokens were unknown
     */
    public static int[] encodeWords(List<String> tokens, List<String> vocabulary, int[] unknown) {
        Map<String, Integer> index = new HashMap<>(vocabulary.size() * 2);
        for (int i = 0; i < vocabulary.size(); i++) {
            index.put(vocabulary.get(i), i);
        }
        Integer unk = index.get(UNK);
        int[] ids = new int[tokens.size()];
        int missing = 0;
        for (int i = 0; i < ids.length; i++) {
            Integer id = index.get(tokens.get(i));
            if (id == null) {
                if (unk == null) {
                    throw new IllegalArgumentException("the vocabulary has no " + UNK + " for '" + tokens.get(i) + "'");
                }
                id = unk;
                missing++;
            }
            ids[i] = id;
        }
        if (unknown != null && unknown.length > 0) {
            unknown[0] = missing;
        }
        return ids;
    }

    /** How many windows of {@code context} tokens with a target each fit in {@code tokens} tokens. */
    public static int windowCount(int tokens, int context, int stride) {
        if (tokens < context + 1) {
            return 0;
        }
        return (tokens - context - 1) / stride + 1;
    }

    /**
     * Language-model samples from {@code ids}: windows of {@code context} tokens every {@code stride} tokens, each
     * labelled with the next token at every position.
     *
     * @throws BonsaiException when there are fewer than {@code context + 1} tokens
     */
    public static Split windows(String name, int[] ids, int context, int stride, String what) {
        if (context < 1 || stride < 1) {
            throw new IllegalArgumentException("context and stride must be positive");
        }
        int count = windowCount(ids.length, context, stride);
        if (count == 0) {
            throw new BonsaiException(what + ": the " + name + " split has " + ids.length + " tokens, but a sample of "
                    + context + " tokens needs at least " + (context + 1) + "; use a smaller context");
        }
        long values = (long) count * context;
        if (values > Integer.MAX_VALUE - 8) {
            throw new BonsaiException(what + ": " + count + " windows of " + context + " tokens are too many for one "
                    + "array; use a larger stride");
        }
        // the windows are views of one copy of the stream (2 bytes per token), however much they overlap
        return Split.ofTokenWindows(name, ids, context, stride);
    }

    /** The first {@code count} of {@code ids}, for messages and tests. */
    static int[] head(int[] ids, int count) {
        return Arrays.copyOf(ids, Math.min(count, ids.length));
    }
}
