package dev.bonsai.models.pretrained.huggingface;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bonsai.api.model.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The tensors of a Hugging Face folder: {@code model.safetensors}, or the shards a
 * {@code model.safetensors.index.json} lists (its {@code weight_map} maps each tensor to its shard). Opening reads
 * every shard's header and checks that the index and the shards agree; tensors are then read one at a time.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {
    /** The single-file name. */
    public static final String SINGLE = "model.safetensors";
    /** The index of a sharded checkpoint. */
    public static final String INDEX = "model.safetensors.index.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<SafetensorsFile> shards;
    private final Map<String, SafetensorsFile> byTensor;

    private SafetensorsCheckpoint(List<SafetensorsFile> shards, Map<String, SafetensorsFile> byTensor) {
        this.shards = shards;
        this.byTensor = byTensor;
    }

    /** Whether {@code folder} holds a single-file or a sharded checkpoint. */
    public static boolean present(Path folder) {
        return Files.isRegularFile(folder.resolve(SINGLE)) || Files.isRegularFile(folder.resolve(INDEX));
    }

    /**
     * Opens the checkpoint in {@code folder}.
     *
     * @throws IllegalArgumentException naming the file when there is none, the index is malformed or names a
     *                                  missing shard, a shard lacks a tensor the index assigns it or holds one it
     *                                  does not, or a tensor name occurs in two shards
     */
    public static SafetensorsCheckpoint open(Path folder) throws IOException {
        Path single = folder.resolve(SINGLE);
        Path index = folder.resolve(INDEX);
        List<SafetensorsFile> shards = new ArrayList<>();
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        try {
            if (Files.isRegularFile(index)) {
                openShards(folder, index, shards, byTensor);
            } else if (Files.isRegularFile(single)) {
                SafetensorsFile file = SafetensorsFile.open(single);
                shards.add(file);
                file.entries().keySet().forEach(name -> byTensor.put(name, file));
            } else {
                throw new IllegalArgumentException(folder + " holds neither " + SINGLE + " nor " + INDEX
                        + ": it is not a Hugging Face safetensors checkpoint (PyTorch .bin checkpoints are not read;"
                        + " save the model with safe_serialization=True)");
            }
        } catch (IOException | RuntimeException e) {
            for (SafetensorsFile f : shards) {
                f.close();
            }
            throw e;
        }
        return new SafetensorsCheckpoint(shards, byTensor);
    }

    private static void openShards(Path folder, Path index, List<SafetensorsFile> shards,
                                   Map<String, SafetensorsFile> byTensor) throws IOException {
        JsonNode map;
        try {
            map = JSON.readTree(index.toFile()).path("weight_map");
        } catch (IOException e) {
            throw new IllegalArgumentException(index + " is not valid JSON: " + e.getMessage());
        }
        if (!map.isObject() || map.isEmpty()) {
            throw new IllegalArgumentException(index + " has no weight_map object naming each tensor's shard");
        }
        Map<String, List<String>> byShard = new LinkedHashMap<>();
        map.properties().forEach(e -> byShard.computeIfAbsent(e.getValue().asText(), k -> new ArrayList<>())
                .add(e.getKey()));
        for (Map.Entry<String, List<String>> e : byShard.entrySet()) {
            Path shardPath = folder.resolve(e.getKey()).normalize();
            if (!shardPath.getParent().equals(folder.normalize()) || !Files.isRegularFile(shardPath)) {
                throw new IllegalArgumentException(index + " assigns tensors to shard '" + e.getKey()
                        + "', which is not a file in " + folder + ": the checkpoint is incomplete; copy or download"
                        + " every shard");
            }
            SafetensorsFile shard = SafetensorsFile.open(shardPath);
            shards.add(shard);
            TreeSet<String> missing = new TreeSet<>(e.getValue());
            missing.removeAll(shard.entries().keySet());
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(shardPath + " lacks tensors that " + index + " assigns to it: "
                        + missing + "; the shard is not the one the index was written with");
            }
            for (String name : shard.entries().keySet()) {
                if (!e.getKey().equals(map.path(name).asText(null))) {
                    throw new IllegalArgumentException(shardPath + " holds tensor '" + name + "', which " + index
                            + " assigns to " + (map.has(name) ? "'" + map.path(name).asText() + "'" : "no shard")
                            + "; the shard is not the one the index was written with");
                }
                byTensor.put(name, shard);
            }
        }
    }

    /** Every tensor's entry, by name. */
    public Map<String, SafetensorsEntry> entries() {
        Map<String, SafetensorsEntry> all = new LinkedHashMap<>();
        byTensor.forEach((name, file) -> all.put(name, file.entries().get(name)));
        return Collections.unmodifiableMap(all);
    }

    /** The file that holds {@code name}, for messages. */
    public Path fileOf(String name) {
        SafetensorsFile f = byTensor.get(name);
        return f == null ? null : f.file();
    }

    /** The tensor named {@code name}, widened to float32. */
    public Tensor read(String name) throws IOException {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) {
            throw new IllegalArgumentException("the checkpoint holds no tensor '" + name + "'");
        }
        return f.read(name);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafetensorsFile f : shards) {
            try {
                f.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
