package dev.bonsai.models.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.Checkpoint;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@link Checkpoint}s as <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * files, so that any safetensors reader (Python's {@code safetensors}, PyTorch, another engine) can load the
 * tensors, and Bonsai can rebuild the model without the descriptor that trained it.
 *
 * <p><b>Format</b> (version {@value #VERSION}). The file is:
 * <ol>
 *   <li>8 bytes: the header's length N, an unsigned little-endian 64-bit integer;</li>
 *   <li>N bytes: the header, a UTF-8 JSON object, padded with spaces to a multiple of 8 bytes. Each parameter of
 *       the model has an entry {@code "fc1.weight": {"dtype": "F32", "shape": [300, 784], "data_offsets": [b, e]}}
 *       in model order; the entry {@code "__metadata__"} maps strings to strings:
 *       <ul>
 *         <li>{@code format}: {@value #FORMAT}, {@code format_version}: {@value #VERSION};</li>
 *         <li>{@code model_spec}: the {@link ModelSpec} as JSON ({@link SpecJson});</li>
 *         <li>{@code vocabulary}: a JSON list of the text model's tokens, by class index ({@code []} otherwise);</li>
 *         <li>{@code data_sha256}: the SHA-256 of the data section, hex;</li>
 *         <li>{@code provenance.<key>}: one entry per provenance item (experiment, trial, seed, dataset…).</li>
 *       </ul></li>
 *   <li>the data section: every tensor's elements as little-endian IEEE 754 float32, row-major, at its
 *       {@code data_offsets} (byte offsets into this section, contiguous, in header order).</li>
 * </ol>
 *
 * <p>Files are written to a temporary file beside the target and moved into place when whole, so a reader never
 * sees a half-written checkpoint. Reading checks everything before returning: a truncated or corrupt file, a file
 * of another format, or weights that do not fit the spec each give a {@link BonsaiException} naming the file.
 */
public final class CheckpointFile {
    /** The {@code format} metadata value. */
    public static final String FORMAT = "bonsai-checkpoint";
    /** The {@code format_version} this class writes and reads. */
    public static final String VERSION = "1";
    /** The usual file name extension. */
    public static final String EXTENSION = ".safetensors";
    /** The prefix of provenance entries in the metadata. */
    public static final String PROVENANCE_PREFIX = "provenance.";

    private static final String METADATA = "__metadata__";
    private static final long MAX_HEADER = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFile() {
    }

    /**
     * Writes {@code checkpoint} to {@code file} (its folder is created), replacing any file there atomically.
     *
     * @throws BonsaiException naming the file when it cannot be written
     */
    public static void write(Path file, Checkpoint checkpoint) {
        ModelSpec spec = checkpoint.spec();
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        List<byte[]> data = new ArrayList<>();
        for (ParameterSpec p : spec.parameters().values()) {
            Tensor t = checkpoint.weights().get(p.name());
            ObjectNode entry = header.putObject(p.name());
            entry.put("dtype", "F32");
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape().dims()) {
                shape.add(d);
            }
            long bytes = 4L * t.size();
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
            data.add(bytes(t));
        }
        MessageDigest sha = sha256();
        data.forEach(sha::update);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("format_version", VERSION);
        metadata.put("model_spec", SpecJson.write(spec));
        metadata.put("vocabulary", JSON.valueToTree(checkpoint.vocabulary()).toString());
        metadata.put("data_sha256", HexFormat.of().formatHex(sha.digest()));
        checkpoint.provenance().forEach((k, v) -> metadata.put(PROVENANCE_PREFIX + k, v));
        ObjectNode meta = JSON.createObjectNode();
        metadata.forEach(meta::put);
        ObjectNode ordered = JSON.createObjectNode();
        ordered.set(METADATA, meta);
        ordered.setAll(header);
        byte[] json = ordered.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    out.write(head.array());
                    for (byte[] d : data) {
                        out.write(d);
                    }
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new BonsaiException("Cannot write checkpoint " + file + ": " + e, e);
        }
    }

    /**
     * Reads the checkpoint in {@code file}.
     *
     * @throws BonsaiException naming the file when it is missing, not a Bonsai checkpoint, truncated, corrupt
     *                         (its data do not match their checksum), of a newer format version, or holds weights
     *                         that do not fit its model
     */
    public static Checkpoint read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BonsaiException("Checkpoint " + file + " does not exist");
        } catch (IOException e) {
            throw new BonsaiException("Cannot read checkpoint " + file + ": " + e, e);
        }
        try {
            return parse(all);
        } catch (IllegalArgumentException e) {
            throw new BonsaiException("Checkpoint " + file + " cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the checkpoint in {@code file} and checks that it holds {@code expected} (the same input and layers; the
     * display name may differ).
     *
     * @param what what the checkpoint is for, for the message, for example {@code the teacher}
     * @throws BonsaiException as {@link #read(Path)}, or naming the file and the first difference from the model
     *                         expected
     */
    public static Checkpoint read(Path file, ModelSpec expected, String what) {
        Checkpoint checkpoint = read(file);
        String difference = SpecJson.difference(checkpoint.spec(), expected);
        if (!difference.isEmpty()) {
            throw new BonsaiException("Checkpoint " + file + " holds a model other than " + what + ": " + difference
                    + ". Use a checkpoint of that model, or describe the model the checkpoint holds.");
        }
        return checkpoint;
    }

    private static Checkpoint parse(byte[] all) {
        if (all.length < 8) {
            throw new IllegalArgumentException("it has " + all.length + " bytes, fewer than the 8 of a safetensors "
                    + "header length (truncated?)");
        }
        long headerLength = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER) {
            throw new IllegalArgumentException("its first 8 bytes give a header length of " + headerLength
                    + " bytes, which no checkpoint has: it is not a safetensors file");
        }
        if (8 + headerLength > all.length) {
            throw new IllegalArgumentException("its header needs " + headerLength + " bytes but the file has only "
                    + (all.length - 8) + " after the length: it is truncated");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(all, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("its header is not valid JSON (" + e.getOriginalMessage()
                    + "): the file is corrupt or not a safetensors file");
        }
        if (header == null || !header.isObject()) {
            throw new IllegalArgumentException("its header is not a JSON object: it is not a safetensors file");
        }
        JsonNode meta = header.path(METADATA);
        if (!FORMAT.equals(meta.path("format").asText(null))) {
            throw new IllegalArgumentException("it is a safetensors file without Bonsai's metadata (format: "
                    + FORMAT + "), so the model it belongs to is unknown; Bonsai reads the checkpoints it writes");
        }
        String version = meta.path("format_version").asText("");
        if (!VERSION.equals(version)) {
            throw new IllegalArgumentException("it has format version '" + version + "', but this version of Bonsai "
                    + "reads version " + VERSION + "; use the Bonsai version that wrote it");
        }
        int dataStart = 8 + (int) headerLength;
        long dataLength = all.length - (long) dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        long expectedOffset = 0;
        for (Map.Entry<String, JsonNode> e : header.properties()) {
            if (e.getKey().equals(METADATA)) {
                continue;
            }
            JsonNode entry = e.getValue();
            String name = e.getKey();
            if (!"F32".equals(entry.path("dtype").asText())) {
                throw new IllegalArgumentException("tensor '" + name + "' has dtype " + entry.path("dtype")
                        + "; Bonsai checkpoints hold F32 only");
            }
            Shape shape = shape(entry.path("shape"), name);
            JsonNode offsets = entry.path("data_offsets");
            if (!offsets.isArray() || offsets.size() != 2 || !offsets.get(0).canConvertToLong()
                    || !offsets.get(1).canConvertToLong()) {
                throw new IllegalArgumentException("tensor '" + name + "' has no valid data_offsets");
            }
            long begin = offsets.get(0).asLong();
            long end = offsets.get(1).asLong();
            if (begin != expectedOffset || end - begin != 4 * shape.size()) {
                throw new IllegalArgumentException("tensor '" + name + "' of shape " + shape + " has data_offsets ["
                        + begin + ", " + end + "], expected [" + expectedOffset + ", " + (expectedOffset
                        + 4 * shape.size()) + "]: the header is corrupt");
            }
            if (end > dataLength) {
                throw new IllegalArgumentException("tensor '" + name + "' ends at byte " + end + " of the data, but the "
                        + "file holds only " + dataLength + " bytes of data: it is truncated");
            }
            float[] data = new float[Math.toIntExact(shape.size())];
            ByteBuffer.wrap(all, dataStart + (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer().get(data);
            tensors.put(name, new Tensor(shape, data));
            expectedOffset = end;
        }
        if (expectedOffset != dataLength) {
            throw new IllegalArgumentException("the header describes " + expectedOffset + " bytes of data but the file "
                    + "holds " + dataLength + ": it is corrupt");
        }
        MessageDigest sha = sha256();
        sha.update(all, dataStart, (int) dataLength);
        String actual = HexFormat.of().formatHex(sha.digest());
        String recorded = meta.path("data_sha256").asText("");
        if (!actual.equals(recorded)) {
            throw new IllegalArgumentException("its data have SHA-256 " + actual + " but the header records "
                    + recorded + ": the file is corrupt");
        }
        ModelSpec spec = SpecJson.read(text(meta, "model_spec"));
        List<String> vocabulary = new ArrayList<>();
        try {
            JsonNode vocab = JSON.readTree(text(meta, "vocabulary"));
            if (!vocab.isArray()) {
                throw new IllegalArgumentException("its vocabulary is not a JSON list");
            }
            vocab.forEach(v -> vocabulary.add(v.asText()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("its vocabulary is not valid JSON: " + e.getOriginalMessage());
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        meta.properties().forEach(e -> {
            if (e.getKey().startsWith(PROVENANCE_PREFIX)) {
                provenance.put(e.getKey().substring(PROVENANCE_PREFIX.length()), e.getValue().asText());
            }
        });
        return new Checkpoint(spec, new Weights(tensors), vocabulary, provenance);
    }

    private static String text(JsonNode meta, String key) {
        JsonNode value = meta.get(key);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("its metadata lack '" + key + "'");
        }
        return value.asText();
    }

    private static Shape shape(JsonNode node, String name) {
        if (!node.isArray()) {
            throw new IllegalArgumentException("tensor '" + name + "' has no shape");
        }
        int[] dims = new int[node.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!node.get(i).canConvertToInt() || node.get(i).asInt() <= 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has shape " + node
                        + "; dimensions must be positive integers");
            }
            dims[i] = node.get(i).asInt();
        }
        return Shape.of(dims);
    }

    private static byte[] bytes(Tensor t) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(t.data());
        return buffer.array();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
