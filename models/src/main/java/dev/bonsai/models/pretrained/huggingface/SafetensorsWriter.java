package dev.bonsai.models.pretrained.huggingface;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes one safetensors file tensor by tensor: the header is written first from the tensors' names and shapes, then
 * each tensor's data in that order as it is given, so only the tensor being written occupies the Java heap.
 * {@link #close} checks that every announced tensor was written.
 */
public final class SafetensorsWriter implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BUFFER = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final SafetensorsDtype dtype;
    private final List<String> names;
    private final List<Shape> shapes;
    private final ByteBuffer buffer;
    private int next;

    private SafetensorsWriter(Path file, FileChannel channel, SafetensorsDtype dtype, List<String> names,
                              List<Shape> shapes) {
        this.file = file;
        this.channel = channel;
        this.dtype = dtype;
        this.names = names;
        this.shapes = shapes;
        this.buffer = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Creates {@code file} (which must not exist) and writes the header for {@code tensors}, in their order.
     *
     * @param file     the new file
     * @param tensors  the names and shapes of the tensors to come, in order
     * @param dtype    the element type of every tensor
     * @param metadata the header's {@code __metadata__} strings, or empty
     */
    public static SafetensorsWriter create(Path file, Map<String, Shape> tensors, SafetensorsDtype dtype,
                                           Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Shape> e : tensors.entrySet()) {
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", dtype.name());
            ArrayNode shape = entry.putArray("shape");
            for (int d : e.getValue().dims()) {
                shape.add(d);
            }
            long bytes = e.getValue().size() * dtype.bytes();
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            writeFully(channel, head.flip());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new SafetensorsWriter(file, channel, dtype, new ArrayList<>(tensors.keySet()),
                new ArrayList<>(tensors.values()));
    }

    /**
     * Writes the next tensor.
     *
     * @throws IllegalArgumentException when {@code name} is not the next announced tensor or its shape differs
     */
    public void write(String name, Tensor tensor) throws IOException {
        if (next >= names.size() || !names.get(next).equals(name)) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' was written where "
                    + (next < names.size() ? "'" + names.get(next) + "'" : "no further tensor") + " was announced");
        }
        if (!tensor.shape().equals(shapes.get(next))) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' has shape " + tensor.shape()
                    + " but " + shapes.get(next) + " was announced");
        }
        float[] data = tensor.data();
        int perBuffer = BUFFER / dtype.bytes();
        for (int at = 0; at < data.length; at += perBuffer) {
            int count = Math.min(perBuffer, data.length - at);
            buffer.clear();
            dtype.encode(data, at, count, buffer);
            writeFully(channel, buffer.flip());
        }
        next++;
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /**
     * Closes the file.
     *
     * @throws IllegalStateException when announced tensors were not written (the file is then incomplete)
     */
    @Override
    public void close() throws IOException {
        channel.close();
        if (next < names.size()) {
            throw new IllegalStateException(file + " is incomplete: " + (names.size() - next) + " announced tensors,"
                    + " from '" + names.get(next) + "' on, were not written");
        }
    }
}
