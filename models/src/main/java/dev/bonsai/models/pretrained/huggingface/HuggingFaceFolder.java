package dev.bonsai.models.pretrained.huggingface;

import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.models.pretrained.DecoderConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Hugging Face model folder open for reading: its {@code config.json} and its safetensors tensors, checked against
 * each other on opening (every tensor the architecture needs is present with its shape, and no unknown tensor is), so
 * that nothing is read from a folder that would be refused. Parameters are then read one checkpoint tensor at a time,
 * which converts a model larger than the Java heap tensor by tensor.
 */
public final class HuggingFaceFolder implements AutoCloseable {
    private final Path folder;
    private final HfConfig config;
    private final SafetensorsCheckpoint checkpoint;
    private final List<HfTensor> layout;

    private HuggingFaceFolder(Path folder, HfConfig config, SafetensorsCheckpoint checkpoint, List<HfTensor> layout) {
        this.folder = folder;
        this.config = config;
        this.checkpoint = checkpoint;
        this.layout = layout;
    }

    /**
     * Opens {@code folder} and checks its tensors against its configuration.
     *
     * @throws IllegalArgumentException naming the file and what to do when the configuration or a shard is
     *                                  unreadable, or a tensor is missing, has the wrong shape or is unknown
     */
    public static HuggingFaceFolder open(Path folder) throws IOException {
        HfConfig config = HfConfig.read(folder);
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder);
        try {
            Map<String, SafetensorsEntry> entries = checkpoint.entries();
            String prefix = entries.containsKey("transformer.wte.weight") ? "transformer." : "";
            List<HfTensor> layout = HfTensorLayout.of(config.architecture(), config.decoder(), prefix);
            check(folder, config, checkpoint, entries, layout);
            return new HuggingFaceFolder(folder, config, checkpoint, layout);
        } catch (RuntimeException e) {
            checkpoint.close();
            throw e;
        }
    }

    private static void check(Path folder, HfConfig config, SafetensorsCheckpoint checkpoint,
                              Map<String, SafetensorsEntry> entries, List<HfTensor> layout) {
        Path configFile = folder.resolve(HfConfig.FILE);
        List<String> missing = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (HfTensor t : layout) {
            expected.add(t.name());
            SafetensorsEntry e = entries.get(t.name());
            if (e == null) {
                missing.add(t.name());
            } else if (!e.shape().equals(t.shape())) {
                throw new IllegalArgumentException(checkpoint.fileOf(t.name()) + ": tensor '" + t.name()
                        + "' has shape " + e.shape() + " but " + configFile + " implies " + t.shape()
                        + "; the configuration and the weights belong to different models");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(folder + " lacks " + missing.size() + " tensors that " + configFile
                    + " implies, for example " + missing.subList(0, Math.min(5, missing.size()))
                    + (config.decoder().tiedEmbeddings() ? "" : " (is tie_word_embeddings missing?)")
                    + "; the checkpoint is incomplete or belongs to another model");
        }
        List<String> extra = new ArrayList<>();
        for (String name : entries.keySet()) {
            if (!expected.contains(name) && !HfTensorLayout.ignorable(name, config.decoder())) {
                extra.add(name);
            }
        }
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(folder + " holds " + extra.size() + " tensors that a "
                    + config.architecture().className() + " as " + configFile + " describes does not have, for"
                    + " example " + extra.subList(0, Math.min(5, extra.size())) + " (in " + checkpoint.fileOf(extra.get(0))
                    + "); the configuration and the weights belong to different models");
        }
    }

    /** The folder. */
    public Path folder() {
        return folder;
    }

    /** The configuration. */
    public HfConfig config() {
        return config;
    }

    /** The hyper-parameters. */
    public DecoderConfig decoder() {
        return config.decoder();
    }

    /** The checkpoint's tensors and the parameters each holds, in the order they are read. */
    public List<HfTensor> layout() {
        return layout;
    }

    /** The parameters {@code tensor} holds, by Bonsai name, read from its shard. */
    public Map<String, Tensor> read(HfTensor tensor) throws IOException {
        List<Tensor> values = tensor.toParameters(checkpoint.read(tensor.name()));
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            out.put(tensor.parameters().get(i), values.get(i));
        }
        return out;
    }

    /**
     * The parameters as a writer fetches them: each read with the other parameters of its checkpoint tensor (GPT-2's
     * fused query/key/value), which are kept until asked for, so a conversion holds one checkpoint tensor at a time.
     */
    public HuggingFaceWriter.ParameterSource parameterSource() {
        Map<String, HfTensor> byParameter = new LinkedHashMap<>();
        for (HfTensor t : layout) {
            t.parameters().forEach(p -> byParameter.put(p, t));
        }
        Map<String, Tensor> pending = new LinkedHashMap<>();
        return name -> {
            Tensor value = pending.remove(name);
            if (value != null) {
                return value;
            }
            HfTensor t = byParameter.get(name);
            if (t == null) {
                throw new IllegalArgumentException(folder + " has no parameter '" + name + "'");
            }
            pending.clear();
            pending.putAll(read(t));
            return pending.remove(name);
        };
    }

    /** Every parameter, in the spec's order. */
    public Weights readAll() throws IOException {
        Map<String, Tensor> read = new LinkedHashMap<>();
        for (HfTensor t : layout) {
            read.putAll(read(t));
        }
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (String name : decoder().toSpec("order", 1).parameters().keySet()) {
            ordered.put(name, read.get(name));
        }
        return new Weights(ordered);
    }

    @Override
    public void close() throws IOException {
        checkpoint.close();
    }
}
