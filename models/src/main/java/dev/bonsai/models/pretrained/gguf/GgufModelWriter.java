package dev.bonsai.models.pretrained.gguf;

import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.RotaryRows;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a {@link GgufModel} as a {@code llama} GGUF version 3 file that llama.cpp loads: the architecture's
 * metadata, the sentencepiece vocabulary, and the tensors under llama.cpp's names with the query and key rows back
 * in the interleaved rotary order. Matrices are stored in the chosen precision (F32 or F16); norm weights always in
 * F32, as llama.cpp's converter does. The file is written beside the target and moved into place when complete.
 */
final class GgufModelWriter {
    private GgufModelWriter() {
    }

    /**
     * Writes {@code model} to the new file {@code target}.
     *
     * @param precision {@link GgmlType#F32} or {@link GgmlType#F16}, the type of the matrices
     * @throws IllegalArgumentException when the model is not a llama-architecture model or the precision is neither
     * @throws FileAlreadyExistsException when {@code target} exists
     */
    static void write(GgufModel model, Path target, GgmlType precision) throws IOException {
        if (precision != GgmlType.F32 && precision != GgmlType.F16) {
            throw new IllegalArgumentException("GGUF files are written in F32 or F16, not " + precision);
        }
        DecoderConfig c = model.config();
        LlamaMetadata.checkWritable(c);
        model.weights().checkMatches(c.toSpec(model.name(), 1));
        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        metadata.put(LlamaMetadata.ARCHITECTURE_KEY, GgufValue.of(GgufValueType.STRING, LlamaMetadata.ARCHITECTURE));
        metadata.put("general.name", GgufValue.of(GgufValueType.STRING, model.name()));
        // llama.cpp's file types: 0 all F32, 1 mostly F16.
        metadata.put("general.file_type", GgufValue.of(GgufValueType.UINT32, precision == GgmlType.F16 ? 1L : 0L));
        metadata.putAll(LlamaMetadata.entries(c));
        metadata.putAll(GgufVocabulary.entries(model.vocabulary()));
        List<GgufWriter.Entry> tensors = new ArrayList<>();
        Weights weights = model.weights();
        for (LlamaTensor t : LlamaTensor.all(c)) {
            Tensor w = weights.get(t.bonsai());
            float[] data = t.rotary() ? RotaryRows.toInterleaved(w, t.rotaryHeadDim()).data() : w.data();
            tensors.add(new GgufWriter.Entry(t.gguf(), t.shape(), t.matrix() ? precision : GgmlType.F32, data));
        }
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "a GGUF file is not written over an"
                    + " existing file; remove it or choose another name");
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile, whose owner-only permissions the finished model would keep.
        Path tmp = Files.createFile(dir.resolve(target.getFileName() + "." + UUID.randomUUID() + ".tmp"));
        try {
            GgufWriter.write(tmp, metadata, tensors);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
