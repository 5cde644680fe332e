package dev.bonsai.models.pretrained;

import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.model.ModelProvider;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.PretrainedParts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A pretrained decoder-only language model ({@code pretrained}) read from a checkpoint by one of the
 * {@link ModelFormats}: its spec ({@link DecoderConfig#toSpec}) reads the dataset's windows, and it brings its
 * weights and tokenizer ({@link #pretrained}), so the host tokenises text with the model's tokenizer and evaluates
 * the published weights as the dense model. The checkpoint is read once per path and kept while it is unchanged.
 */
public final class PretrainedProvider implements ModelProvider<PretrainedOptions> {
    /** The provenance key of the checkpoint's absolute path. */
    public static final String PATH = "pretrained.path";
    /** The provenance key of the checkpoint's format id. */
    public static final String FORMAT = "pretrained.format";
    /** The provenance key of the model's family. */
    public static final String FAMILY = "pretrained.family";
    /** The provenance key of the checkpoint file's SHA-256 (absent for a folder). */
    public static final String SHA256 = "pretrained.sha256";
    private Read last;

    /** Creates the provider. */
    public PretrainedProvider() {
    }

    @Override
    public String id() {
        return "pretrained";
    }

    @Override
    public String description() {
        return "pretrained language model from a checkpoint (llama2.c, GGUF, Hugging Face) with its weights and "
                + "tokenizer: path, format (auto-detected), context";
    }

    @Override
    public Class<PretrainedOptions> optionsType() {
        return PretrainedOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public ModelSpec build(PretrainedOptions options, DatasetInfo data) {
        Read read = read(options);
        if (data.sampleShape().rank() != 1) {
            throw new IllegalArgumentException("pretrained model " + read.path() + " reads windows of token ids [T],"
                    + " but dataset '" + data.id() + "' has samples of shape " + data.sampleShape());
        }
        int length = data.sampleShape().dim(0);
        int context = context(options, read.model());
        if (length > context) {
            throw new IllegalArgumentException("dataset '" + data.id() + "' has windows of " + length + " tokens, "
                    + "longer than the " + context + " pretrained model " + read.path() + " reads (its context"
                    + (options.context() > 0 ? " option" : "") + "); use windows of at most " + context);
        }
        if (data.classes() != read.model().config().vocab()) {
            throw new IllegalArgumentException("dataset '" + data.id() + "' has " + data.classes() + " token ids but"
                    + " pretrained model " + read.path() + " has a vocabulary of " + read.model().config().vocab()
                    + "; tokenise the text with the model's tokenizer (a text dataset that takes one)");
        }
        return read.model().config().toSpec(name(read.path()), length);
    }

    @Override
    public Optional<PretrainedParts> pretrained(PretrainedOptions options) {
        Read read = read(options);
        Map<String, String> provenance = new TreeMap<>();
        provenance.put(PATH, read.path().toString());
        provenance.put(FORMAT, read.model().format());
        provenance.put(FAMILY, read.model().config().family());
        read.sha256().ifPresent(h -> provenance.put(SHA256, h));
        return Optional.of(new PretrainedParts(read.model().weights(), read.model().tokenizer(),
                context(options, read.model()), provenance));
    }

    /** The model's context, or the option when it asks for less; an option above the model's is refused. */
    private static int context(PretrainedOptions options, PretrainedModel model) {
        int own = model.config().context();
        if (options.context() > own) {
            throw new IllegalArgumentException("pretrained context " + options.context() + " exceeds the "
                    + own + " positions the model was trained on");
        }
        return options.context() == 0 ? own : options.context();
    }

    private static String name(Path path) {
        String file = path.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private synchronized Read read(PretrainedOptions options) {
        Path path = Path.of(options.path()).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("pretrained model path '" + options.path() + "' does not exist (looked"
                    + " at " + path + "; a relative path is taken from the working directory)");
        }
        try {
            String stamp = Files.getLastModifiedTime(path) + "/" + (Files.isRegularFile(path) ? Files.size(path) : 0);
            if (last != null && last.path().equals(path) && last.stamp().equals(stamp)
                    && last.requested().equals(options.format())) {
                return last;
            }
            ModelFormat format = options.format().equals("auto") ? ModelFormats.detect(path)
                    : ModelFormats.named(options.format());
            PretrainedModel model = format.read(path);
            last = new Read(path, stamp, options.format(), model, sha256(path));
            return last;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pretrained model " + path + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> sha256(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return Optional.of(HexFormat.of().formatHex(digest.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** A checkpoint as read, with what identifies its file version. */
    private record Read(Path path, String stamp, String requested, PretrainedModel model, Optional<String> sha256) {
    }
}
