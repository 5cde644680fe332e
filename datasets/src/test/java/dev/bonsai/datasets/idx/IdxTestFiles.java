package dev.bonsai.datasets.idx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
public final class IdxTestFiles {
    private IdxTestFiles() {
    }

    /** The bytes of an IDX file of unsigned bytes with this magic, dimensions and data. */
    public static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        buffer.putInt(magic);
        for (int d : dims) {
            buffer.putInt(d);
        }
        buffer.put(data);
        return buffer.array();
    }

    /** {@code bytes} gzip-compressed. */
    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** Writes an images file ({@code count × rows × columns}) and returns its path. */
    public static Path writeImages(Path file, int count, int rows, int columns, byte[] pixels, boolean gzip)
            throws IOException {
        byte[] bytes = idx(IdxReader.IMAGES_MAGIC, new int[] {count, rows, columns}, pixels);
        return Files.write(file, gzip ? gzip(bytes) : bytes);
    }

    /** Writes a labels file and returns its path. */
    public static Path writeLabels(Path file, byte[] labels, boolean gzip) throws IOException {
        byte[] bytes = idx(IdxReader.LABELS_MAGIC, new int[] {labels.length}, labels);
        return Files.write(file, gzip ? gzip(bytes) : bytes);
    }

    /** Bytes {@code 0, 1, …, n-1} modulo 256, as unsigned values. */
    public static byte[] ramp(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i * 7 + 3);
        }
        return data;
    }
}
