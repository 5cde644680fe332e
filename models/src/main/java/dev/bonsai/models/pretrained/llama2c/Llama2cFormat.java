package dev.bonsai.models.pretrained.llama2c;

import dev.bonsai.api.data.Tokenizer;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.Weights;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.ModelFormat;
import dev.bonsai.models.pretrained.PretrainedModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Andrej Karpathy's llama2.c checkpoints ({@code llama2c}): a {@code .bin} of float32 weights after a header
 * ({@link Llama2cHeader}: version 0 "legacy", or version 1 with the magic "ak42"), and its tokenizer, a
 * {@code tok<vocab>.bin} or {@code tokenizer.bin} in the same folder. The architecture is LLaMA-2's: RMSNorm with
 * ε = 1e-5, rotary positions with θ = 10000 on interleaved pairs, SwiGLU, no biases, grouped key/value heads, and an
 * output head either tied to the embedding or separate.
 *
 * <p>Reading converts the query and key rows to the half-split rotary convention; writing converts them back, so a
 * model read and written again is the same file (in the legacy layout, the rotary tables are recomputed).
 */
public final class Llama2cFormat implements ModelFormat {
    /** The layout {@link #write(PretrainedModel, Path)} uses: version 0, the one llama2.c's published models use. */
    public static final int DEFAULT_VERSION = 0;

    /** Creates the format; it is stateless. */
    public Llama2cFormat() {
    }

    @Override
    public String id() {
        return "llama2c";
    }

    /**
     * A regular file whose header is llama2.c's: the version-1 magic, or a legacy header whose sizes give exactly the
     * file's length.
     */
    @Override
    public boolean recognizes(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        Llama2cHeader.Parsed parsed = Llama2cHeader.parse(head(path));
        if (parsed.header() == null) {
            return false;
        }
        return parsed.header().version() == 1 || parsed.header().fileBytes() == Files.size(path);
    }

    @Override
    public PretrainedModel read(Path path) throws IOException {
        Loaded loaded = readWeights(path);
        Tokenizer tokenizer = Llama2cTokenizers.beside(path, loaded.config().vocab());
        return new PretrainedModel(loaded.config(), loaded.weights(), tokenizer, id());
    }

    /**
     * The configuration and weights of the checkpoint at {@code path}, without its tokenizer.
     *
     * @throws IOException naming the file and what is wrong when it is no llama2.c checkpoint, or when its length
     *                     is not the one its header implies (truncated or with extra bytes)
     */
    public static Loaded readWeights(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("llama2.c checkpoint " + path + " is not a file");
        }
        Llama2cHeader.Parsed parsed = Llama2cHeader.parse(head(path));
        if (parsed.header() == null) {
            throw new IOException(path + " is not a llama2.c checkpoint: " + parsed.reason());
        }
        Llama2cHeader h = parsed.header();
        long size = Files.size(path);
        if (size != h.fileBytes()) {
            throw new IOException("llama2.c checkpoint " + path + " has " + size + " bytes but its version-"
                    + h.version() + " header (dim " + h.dim() + ", hidden " + h.hidden() + ", " + h.layers()
                    + " layers, " + h.heads() + " heads, " + h.kvHeads() + " key/value heads, vocabulary " + h.vocab()
                    + ", " + (h.sharedClassifier() ? "shared" : "separate") + " classifier, seq_len " + h.seqLen()
                    + ") implies " + h.fileBytes() + (size < h.fileBytes() ? ": the file is truncated"
                    : ": the file has extra bytes or a header that does not match its weights"));
        }
        List<float[]> arrays = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.position(h.bytes());
            for (Llama2cWeights.Entry e : Llama2cWeights.layout(h)) {
                arrays.add(readFloats(channel, Math.toIntExact(e.shape().size()), path));
            }
        }
        return new Loaded(Llama2cWeights.config(h), Llama2cWeights.toBonsai(h, arrays));
    }

    /** Writes the model in the legacy layout ({@link #DEFAULT_VERSION}). */
    @Override
    public void write(PretrainedModel model, Path target) throws IOException {
        write(model, target, DEFAULT_VERSION);
    }

    /**
     * Writes the model's weights to {@code target} in layout {@code version} (0 legacy, 1 "ak42"), and its tokenizer
     * beside it as {@code tok<vocab>.bin} unless that file exists. Nothing is replaced: an existing target is
     * refused, and the file appears whole or not at all.
     *
     * @throws IllegalArgumentException when llama2.c cannot express the model, saying why
     */
    public void write(PretrainedModel model, Path target, int version) throws IOException {
        if (version != 0 && version != 1) {
            throw new IllegalArgumentException("llama2.c float32 layouts are versions 0 and 1, not " + version);
        }
        DecoderConfig c = model.config();
        checkExpressible(c);
        Weights weights = model.weights();
        weights.checkMatches(c.toSpec("llama2c", c.context()));
        Llama2cHeader h = new Llama2cHeader(version, c.width(), c.hidden(), c.layers(), c.heads(), c.kvHeads(),
                c.vocab(), c.context(), c.tiedEmbeddings());
        List<float[]> arrays = Llama2cWeights.fromBonsai(h, weights);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "refusing to replace it");
        }
        Path folder = target.toAbsolutePath().getParent();
        Path tokenizerFile = folder.resolve("tok" + c.vocab() + ".bin");
        byte[] tokenizerBytes = Files.exists(tokenizerFile) ? null : Llama2cTokenizers.bytes(model.tokenizer());
        Files.createDirectories(folder);
        Path part = partFile(target);
        try {
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW)) {
                out.write(h.toBytes());
                for (float[] a : arrays) {
                    ByteBuffer b = ByteBuffer.allocate(a.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(a);
                    out.write(b.array());
                }
            }
            if (tokenizerBytes != null) {
                Path tokenizerPart = partFile(tokenizerFile);
                try {
                    Files.write(tokenizerPart, tokenizerBytes, StandardOpenOption.CREATE_NEW);
                    Files.move(tokenizerPart, tokenizerFile, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tokenizerPart);
                }
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /**
     * A fresh name beside {@code file} to write it under before it is moved into place. Created with the process's
     * ordinary permissions (a temporary file's owner-only ones would stay on the finished file).
     */
    private static Path partFile(Path file) {
        return file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".part");
    }

    /** Refuses a configuration llama2.c's fixed architecture cannot hold, naming what differs. */
    static void checkExpressible(DecoderConfig c) {
        List<String> why = new ArrayList<>();
        if (!c.rmsNorm()) {
            why.add("it uses LayerNorm (llama2.c has RMSNorm only)");
        }
        if (c.normEpsilon() != Llama2cWeights.NORM_EPSILON) {
            why.add("its norm ε is " + c.normEpsilon() + " (llama2.c fixes 1e-5)");
        }
        if (c.ropeTheta() != Llama2cWeights.ROPE_THETA) {
            why.add("its rotary base is " + c.ropeTheta() + " (llama2.c fixes 10000)");
        }
        if (!c.gated() || c.activation() != Activation.SILU) {
            why.add("its MLP is not SwiGLU (gated SiLU)");
        }
        if (c.qkvBias() || c.outputBias() || c.mlpBias()) {
            why.add("it has biases (llama2.c has none)");
        }
        if (c.learnedPositions()) {
            why.add("it has learned positions (llama2.c has rotary ones only)");
        }
        if (c.heads() * c.headDim() != c.width()) {
            why.add(c.heads() + " heads of width " + c.headDim() + " do not make the model width " + c.width()
                    + " (llama2.c derives the head width as dim / n_heads)");
        }
        if (!why.isEmpty()) {
            throw new IllegalArgumentException("llama2.c cannot hold this " + c.family() + " model: "
                    + String.join("; ", why));
        }
    }

    private static ByteBuffer head(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(Llama2cHeader.V1_BYTES, channel.size()));
            while (b.hasRemaining() && channel.read(b) >= 0) {
                // reads until the buffer is full or the file ends
            }
            return b.flip();
        }
    }

    private static float[] readFloats(FileChannel channel, int count, Path path) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(count, Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new IOException("llama2.c checkpoint " + path + " ended at byte " + channel.position()
                        + " while reading its weights");
            }
        }
        float[] a = new float[count];
        b.flip().asFloatBuffer().get(a);
        return a;
    }

    /**
     * A checkpoint's configuration and weights (Bonsai names, half-split rotary rows).
     *
     * @param config  the configuration it gives
     * @param weights the weights
     */
    public record Loaded(DecoderConfig config, Weights weights) {
    }
}
