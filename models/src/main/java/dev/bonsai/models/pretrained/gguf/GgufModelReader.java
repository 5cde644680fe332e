package dev.bonsai.models.pretrained.gguf;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.RotaryRows;
import dev.bonsai.models.tokenizers.ScoredVocabulary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code llama} GGUF into a {@link GgufModel}. Everything is checked before any tensor is decoded: the
 * header, the architecture and its metadata, the vocabulary, the presence, shape and type of every tensor the
 * configuration needs, and that no other tensor is present. Tensors are then read one at a time from memory-mapped
 * regions of the file, decoded to float32, and the query and key rows reordered to the half-split rotary order.
 */
final class GgufModelReader {
    private GgufModelReader() {
    }

    /** The model in {@code file}. */
    static GgufModel read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            GgufHeader header = GgufHeaderReader.read(file, channel);
            GgufMetadata metadata = header.metadata();
            LlamaMetadata.checkArchitecture(metadata);
            Map<String, GgufTensorInfo> byName = new HashMap<>();
            header.tensors().forEach(t -> byName.put(t.name(), t));
            GgufTensorInfo embedding = byName.get("token_embd.weight");
            if (embedding == null || embedding.ne().length != 2) {
                throw metadata.error("it has no two-dimensional tensor 'token_embd.weight' (the token embedding)");
            }
            int vocab = embedding.shape().dim(0);
            DecoderConfig config = LlamaMetadata.config(metadata, vocab, !byName.containsKey("output.weight"));
            ScoredVocabulary vocabulary = GgufVocabulary.read(metadata, vocab);
            List<LlamaTensor> expected = LlamaTensor.all(config);
            check(header, byName, expected);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (LlamaTensor t : expected) {
                tensors.put(t.bonsai(), tensor(header, byName.get(t.gguf()), t, channel));
            }
            String name = metadata.string("general.name", file.getFileName().toString());
            return new GgufModel(name, config, new Weights(tensors), vocabulary);
        } catch (NoSuchFileException e) {
            throw new BonsaiException("GGUF file " + file + " does not exist");
        }
    }

    private static void check(GgufHeader header, Map<String, GgufTensorInfo> byName, List<LlamaTensor> expected) {
        GgufMetadata m = header.metadata();
        Map<String, LlamaTensor> names = new HashMap<>();
        for (LlamaTensor t : expected) {
            names.put(t.gguf(), t);
            GgufTensorInfo info = byName.get(t.gguf());
            if (info == null) {
                throw m.error("tensor '" + t.gguf() + "' is missing; a llama model with "
                        + m.asMap().get("llama.block_count").value() + " blocks needs it");
            }
            if (!info.shape().equals(t.shape())) {
                throw m.error("tensor '" + t.gguf() + "' has dimensions " + info.neText() + " (row-major "
                        + info.shape() + ") but the metadata make it " + t.shape() + ": the file is inconsistent");
            }
            if (!info.type().decodable()) {
                throw GgufTensorDecoder.unsupported(header, info);
            }
        }
        for (GgufTensorInfo info : header.tensors()) {
            if (!names.containsKey(info.name())) {
                throw m.error("it holds tensor '" + info.name() + "', which a llama model of this configuration"
                        + " does not have (" + (info.name().startsWith("rope_freqs") ? "rotary frequency"
                        + " factors, as Llama 3.1's scaled positions use, are not supported" : "an extra block, an"
                        + " adapter or another architecture's tensor") + ")");
            }
        }
    }

    private static Tensor tensor(GgufHeader header, GgufTensorInfo info, LlamaTensor target, FileChannel channel)
            throws IOException {
        ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, header.position(info), info.bytes());
        Tensor tensor = new Tensor(target.shape(), GgufTensorDecoder.decode(header, info, bytes));
        return target.rotary() ? RotaryRows.toHalfSplit(tensor, target.rotaryHeadDim()) : tensor;
    }
}
