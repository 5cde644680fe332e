package dev.bonsai.models.pretrained.huggingface;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Writes a Hugging Face model folder: {@code config.json}, the weights as {@code model.safetensors} or, beyond the
 * shard size, as {@code model-0000i-of-0000n.safetensors} shards with a {@code model.safetensors.index.json}, and
 * the tokenizer files. Parameters are fetched and written one checkpoint tensor at a time. The folder is written
 * under a temporary name beside the target and renamed when whole, so a failed write leaves nothing.
 */
public final class HuggingFaceWriter {
    /** The default shard size, transformers' {@code max_shard_size} default. */
    public static final long DEFAULT_SHARD_BYTES = 5_000_000_000L;

    private static final Logger LOG = LogManager.getLogger(HuggingFaceWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SafetensorsDtype dtype;
    private final long shardBytes;

    /**
     * A writer.
     *
     * @param dtype      the tensors' element type
     * @param shardBytes the most tensor bytes one shard holds (a single larger tensor gets a shard of its own)
     */
    public HuggingFaceWriter(SafetensorsDtype dtype, long shardBytes) {
        if (shardBytes <= 0) {
            throw new IllegalArgumentException("the shard size must be positive, got " + shardBytes + " bytes");
        }
        this.dtype = dtype;
        this.shardBytes = shardBytes;
    }

    /** Supplies a parameter by its Bonsai name, when the writer needs it. */
    @FunctionalInterface
    public interface ParameterSource {
        /** The parameter named {@code name}. */
        Tensor parameter(String name) throws IOException;
    }

    /**
     * Writes the folder {@code target}, which must not exist.
     *
     * @param config         the configuration
     * @param parameters     the parameters, by Bonsai name
     * @param tokenizerFiles the tokenizer's files, by name (for example {@code tokenizer.json})
     * @throws FileAlreadyExistsException when {@code target} exists
     */
    public void write(HfConfig config, ParameterSource parameters, Map<String, byte[]> tokenizerFiles, Path target)
            throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.exists(absolute)) {
            throw new FileAlreadyExistsException(absolute + " exists; Bonsai writes a model to a new folder and"
                    + " replaces nothing: choose another name or remove it");
        }
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".tmp");
        try {
            writeInto(config, parameters, tokenizerFiles, tmp);
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(tmp);
        }
        LOG.info("wrote {} ({}, {} layers, {})", absolute, config.architecture().className(), config.decoder().layers(),
                dtype);
    }

    private void writeInto(HfConfig config, ParameterSource parameters, Map<String, byte[]> tokenizerFiles, Path dir)
            throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(HfConfig.FILE).toFile(), config.toJson(dtype));
        List<HfTensor> layout = HfTensorLayout.of(config.architecture(), config.decoder(), "transformer.");
        List<List<HfTensor>> shards = shards(layout);
        Map<String, String> weightMap = new TreeMap<>();
        long total = 0;
        for (int s = 0; s < shards.size(); s++) {
            String name = shards.size() == 1 ? SafetensorsCheckpoint.SINGLE
                    : String.format("model-%05d-of-%05d.safetensors", s + 1, shards.size());
            Map<String, Shape> announced = new LinkedHashMap<>();
            for (HfTensor t : shards.get(s)) {
                announced.put(t.name(), t.shape());
                weightMap.put(t.name(), name);
                total += t.shape().size() * dtype.bytes();
            }
            try (SafetensorsWriter out = SafetensorsWriter.create(dir.resolve(name), announced, dtype,
                    Map.of("format", "pt"))) {
                for (HfTensor t : shards.get(s)) {
                    List<Tensor> values = new ArrayList<>();
                    for (int i = 0; i < t.parameters().size(); i++) {
                        Tensor value = parameters.parameter(t.parameters().get(i));
                        if (!value.shape().equals(t.shapes().get(i))) {
                            throw new IllegalArgumentException("parameter '" + t.parameters().get(i) + "' has shape "
                                    + value.shape() + " but the configuration needs " + t.shapes().get(i));
                        }
                        values.add(value);
                    }
                    out.write(t.name(), t.fromParameters(values));
                }
            }
        }
        if (shards.size() > 1) {
            ObjectNode index = JSON.createObjectNode();
            index.putObject("metadata").put("total_size", total);
            ObjectNode map = index.putObject("weight_map");
            weightMap.forEach(map::put);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(SafetensorsCheckpoint.INDEX).toFile(), index);
        }
        for (Map.Entry<String, byte[]> f : tokenizerFiles.entrySet()) {
            Files.write(dir.resolve(f.getKey()), f.getValue());
        }
    }

    private List<List<HfTensor>> shards(List<HfTensor> layout) {
        List<List<HfTensor>> shards = new ArrayList<>();
        List<HfTensor> current = new ArrayList<>();
        long bytes = 0;
        for (HfTensor t : layout) {
            long size = t.shape().size() * dtype.bytes();
            if (!current.isEmpty() && bytes + size > shardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(t);
            bytes += size;
        }
        shards.add(current);
        return shards;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
