package dev.bonsai.models.pretrained.huggingface;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file open for reading, tensor by tensor: 8 bytes of header length (unsigned little-endian), a JSON
 * header mapping each tensor name to {@code dtype}, {@code shape} and {@code data_offsets}, then the data. Opening
 * reads and checks only the header (tensors must tile the data section without gaps or overlaps, and the file must
 * hold all of it); {@link #read} maps one tensor's bytes from the file, so no tensor but the one being read occupies
 * the Java heap and files beyond 2 GB are read as any other.
 */
public final class SafetensorsFile implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;
    /** Bytes mapped at a time: below the 2 GB limit of one mapping, and a multiple of every element size. */
    private static final long CHUNK = 1L << 30;

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, SafetensorsEntry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, FileChannel channel, long dataStart, Map<String, SafetensorsEntry> entries,
                            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    /**
     * Opens {@code file} and checks its header.
     *
     * @throws IllegalArgumentException naming the file when it is not a safetensors file, is truncated, or its
     *                                  header is inconsistent
     * @throws IOException              when it cannot be read
     */
    public static SafetensorsFile open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return parse(file, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static SafetensorsFile parse(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new IllegalArgumentException(file + " has " + size + " bytes, fewer than the 8 of a safetensors"
                    + " header length: it is truncated or not a safetensors file");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength <= 1 || headerLength > MAX_HEADER) {
            throw new IllegalArgumentException(file + " starts with a header length of " + headerLength
                    + " bytes, which no safetensors file has: it is not a safetensors file");
        }
        if (8 + headerLength > size) {
            throw new IllegalArgumentException(file + " needs " + headerLength + " bytes of header but holds only "
                    + (size - 8) + " after the length: it is truncated; copy or download it again");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        JsonNode header;
        try {
            header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " has a header that is not valid JSON ("
                    + e.getOriginalMessage() + "): it is corrupt or not a safetensors file");
        }
        if (header == null || !header.isObject()) {
            throw new IllegalArgumentException(file + " has a header that is not a JSON object: it is not a"
                    + " safetensors file");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, SafetensorsEntry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : header.properties()) {
            if (e.getKey().equals("__metadata__")) {
                e.getValue().properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
            } else {
                entries.put(e.getKey(), entry(file, e.getKey(), e.getValue()));
            }
        }
        long dataStart = 8 + headerLength;
        checkTiling(file, entries.values(), size - dataStart);
        return new SafetensorsFile(file, channel, dataStart, Collections.unmodifiableMap(entries),
                Collections.unmodifiableMap(metadata));
    }

    private static SafetensorsEntry entry(Path file, String name, JsonNode node) {
        String where = file + ": tensor '" + name + "'";
        SafetensorsDtype dtype = SafetensorsDtype.of(node.path("dtype").asText("(none)"), where);
        JsonNode shapeNode = node.path("shape");
        if (!shapeNode.isArray()) {
            throw new IllegalArgumentException(where + " has no shape in the header: the file is corrupt");
        }
        int[] dims = new int[shapeNode.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToInt() || d.asInt() <= 0) {
                throw new IllegalArgumentException(where + " has shape " + shapeNode + ": Bonsai reads tensors"
                        + " whose dimensions are positive integers");
            }
            dims[i] = d.asInt();
        }
        JsonNode offsets = node.path("data_offsets");
        if (!offsets.isArray() || offsets.size() != 2 || !offsets.get(0).canConvertToLong()
                || !offsets.get(1).canConvertToLong()) {
            throw new IllegalArgumentException(where + " has no valid data_offsets: the file is corrupt");
        }
        Shape shape = Shape.of(dims);
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end - begin != shape.size() * dtype.bytes()) {
            throw new IllegalArgumentException(where + " of shape " + shapeNode + " and dtype " + dtype
                    + " needs " + shape.size() * dtype.bytes() + " bytes but its data_offsets [" + begin + ", " + end
                    + "] span " + (end - begin) + ": the file is corrupt");
        }
        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    private static void checkTiling(Path file, java.util.Collection<SafetensorsEntry> entries, long dataBytes) {
        List<SafetensorsEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(SafetensorsEntry::begin));
        long at = 0;
        for (SafetensorsEntry e : sorted) {
            if (e.begin() != at) {
                throw new IllegalArgumentException(file + ": tensor '" + e.name() + "' starts at data byte "
                        + e.begin() + " where " + at + " was expected (the tensors must tile the data without gaps"
                        + " or overlaps): the file is corrupt");
            }
            at = e.end();
        }
        if (at > dataBytes) {
            SafetensorsEntry last = sorted.get(sorted.size() - 1);
            throw new IllegalArgumentException(file + " is truncated: its header describes " + at + " bytes of"
                    + " tensor data (the last tensor, '" + last.name() + "', ends there) but the file holds "
                    + dataBytes + "; copy or download it again");
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int n = channel.read(target, at);
            if (n < 0) {
                throw new EOFException("unexpected end of file at byte " + at);
            }
            at += n;
        }
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The tensors in header order. */
    public Map<String, SafetensorsEntry> entries() {
        return entries;
    }

    /** The header's {@code __metadata__} strings (empty when it has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The tensor named {@code name}, widened to float32.
     *
     * @throws IllegalArgumentException naming the file when it holds no such tensor, or the tensor has more
     *                                  elements than one Java array holds
     */
    public Tensor read(String name) throws IOException {
        SafetensorsEntry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException(file + " holds no tensor '" + name + "'");
        }
        if (e.elements() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' has " + e.elements()
                    + " elements, more than one Java array holds");
        }
        float[] data = new float[(int) e.elements()];
        int width = e.dtype().bytes();
        long position = dataStart + e.begin();
        long remaining = e.end() - e.begin();
        int at = 0;
        while (remaining > 0) {
            long length = Math.min(CHUNK, remaining);
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, position, length);
            int count = (int) (length / width);
            e.dtype().decode(mapped, data, at, count);
            at += count;
            position += length;
            remaining -= length;
        }
        return new Tensor(e.shape(), data);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
