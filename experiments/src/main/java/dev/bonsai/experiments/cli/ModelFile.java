package dev.bonsai.experiments.cli;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Tokenizer;
import dev.bonsai.api.model.Checkpoint;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Weights;
import dev.bonsai.models.checkpoint.CheckpointFile;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.ModelFormat;
import dev.bonsai.models.pretrained.ModelFormats;
import dev.bonsai.models.pretrained.PretrainedModel;
import dev.bonsai.models.pretrained.PretrainedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model as {@code bonsai sample} and {@code bonsai export} take it: a run's checkpoint ({@code .safetensors} with
 * Bonsai's metadata), or a pretrained model in one of the {@link ModelFormats} (llama2.c {@code .bin}, GGUF, a
 * Hugging Face folder). A checkpoint of a pretrained model finds its tokenizer through its provenance
 * ({@code pretrained.path}, {@code pretrained.format}), where the run read the model.
 *
 * @param spec       the model, reading sequences of its full context
 * @param weights    its weights
 * @param vocabulary the tokens of a character or word model's outputs; empty for a model with a tokenizer
 * @param tokenizer  a pretrained model's tokenizer
 * @param pretrained the configuration and family, for a model with a tokenizer
 */
record ModelFile(ModelSpec spec, Weights weights, List<String> vocabulary, Optional<Tokenizer> tokenizer,
                 Optional<DecoderConfig> pretrained) {

    /** Reads {@code path}, saying what it is not when it is neither a checkpoint nor a known format. */
    static ModelFile read(Path path) {
        if (!Files.exists(path)) {
            throw new BonsaiException("no model at " + path);
        }
        if (Files.isRegularFile(path) && path.getFileName().toString().endsWith(CheckpointFile.EXTENSION)) {
            return fromCheckpoint(path, CheckpointFile.read(path));
        }
        ModelFormat format;
        try {
            format = ModelFormats.detect(path);
        } catch (IllegalArgumentException e) {
            throw new BonsaiException("no Bonsai checkpoint and " + e.getMessage());
        }
        PretrainedModel model = readPretrained(format, path);
        DecoderConfig c = model.config();
        return new ModelFile(c.toSpec(name(path), c.context()), model.weights(), List.of(),
                Optional.of(model.tokenizer()), Optional.of(c));
    }

    /** The pretrained model a checkpoint came from, read again for its tokenizer; empty for other checkpoints. */
    private static ModelFile fromCheckpoint(Path path, Checkpoint checkpoint) {
        Map<String, String> p = checkpoint.provenance();
        String source = p.get(PretrainedProvider.PATH);
        if (source == null) {
            return new ModelFile(checkpoint.spec(), checkpoint.weights(), checkpoint.vocabulary(), Optional.empty(),
                    Optional.empty());
        }
        Path model = Path.of(source);
        String format = p.get(PretrainedProvider.FORMAT);
        if (format == null) {
            throw new BonsaiException("checkpoint " + path + " names pretrained model " + source + " but not its format"
                    + " (provenance " + PretrainedProvider.FORMAT + "), so its tokenizer cannot be read");
        }
        if (!Files.exists(model)) {
            throw new BonsaiException("checkpoint " + path + " is of pretrained model " + source + ", whose tokenizer"
                    + " it uses, but that is gone; put the model back there");
        }
        PretrainedModel original = readPretrained(ModelFormats.named(format), model);
        int context = original.config().context();
        DecoderConfig config;
        try {
            config = DecoderConfig.of(checkpoint.spec(), original.config().family(), context);
        } catch (IllegalArgumentException e) {
            config = null;
        }
        ModelSpec full = config == null ? checkpoint.spec() : config.toSpec(checkpoint.spec().name(), context);
        return new ModelFile(full, checkpoint.weights(), List.of(), Optional.of(original.tokenizer()),
                Optional.ofNullable(config));
    }

    private static PretrainedModel readPretrained(ModelFormat format, Path path) {
        try {
            return format.read(path);
        } catch (IOException e) {
            throw new BonsaiException("cannot read " + format.id() + " model " + path + ": " + e.getMessage());
        }
    }

    private static String name(Path path) {
        String file = path.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }
}
