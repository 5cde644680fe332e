package dev.bonsai.models.pretrained;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One checkpoint format of pretrained language models (llama2.c, GGUF, a Hugging Face folder): recognised from a
 * path, read into a {@link PretrainedModel} and written from one. Readers refuse a truncated file, an architecture
 * they do not know, or tensors inconsistent with the configuration, naming the file and what is wrong.
 */
public interface ModelFormat {

    /** The format's id, as a descriptor names it: {@code llama2c}, {@code gguf}, {@code huggingface}. */
    String id();

    /** Whether {@code path} looks like this format (by name and magic bytes; reads at most a header). */
    boolean recognizes(Path path) throws IOException;

    /** The model at {@code path}. */
    PretrainedModel read(Path path) throws IOException;

    /**
     * Writes {@code model} to {@code target} (a file or a folder, as the format stores models), replacing nothing
     * that exists: a failed write leaves no partial output.
     *
     * @throws IllegalArgumentException when the format cannot express the model, with the reason
     */
    void write(PretrainedModel model, Path target) throws IOException;
}
