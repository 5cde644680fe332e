package dev.bonsai.datasets.idx;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The decoded content of an IDX file of unsigned bytes: its dimensions and its values, row-major.
 *
 * <p>The value array is shared, not copied: read it, never write it.
 */
public final class IdxArray {
    private final Path file;
    private final int magic;
    private final int[] dims;
    private final byte[] data;

    /**
     * An array read from {@code file}.
     *
     * @param file  where it was read from, for messages
     * @param magic the file's magic number, for example {@link IdxReader#IMAGES_MAGIC}
     * @param dims  its dimensions, outermost first
     * @param data  the unsigned byte values, {@code product(dims)} of them
     */
    public IdxArray(Path file, int magic, int[] dims, byte[] data) {
        this.file = Objects.requireNonNull(file);
        this.magic = magic;
        this.dims = dims.clone();
        this.data = Objects.requireNonNull(data);
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("IDX dimensions " + Arrays.toString(dims) + " need " + n
                    + " values but " + data.length + " were given");
        }
    }

    /** The file it was read from. */
    public Path file() {
        return file;
    }

    /** The file's magic number: {@code 0x0800 + rank} for unsigned bytes (2051 for images, 2049 for labels). */
    public int magic() {
        return magic;
    }

    /** The number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** The size of dimension {@code axis}. */
    public int dim(int axis) {
        return dims[axis];
    }

    /** A copy of the dimensions, outermost first. */
    public int[] dims() {
        return dims.clone();
    }

    /** The number of items: the size of the outermost dimension. */
    public int count() {
        return dims[0];
    }

    /** The raw values (not a copy), to be read as unsigned: {@code data()[i] & 0xFF}. */
    public byte[] data() {
        return data;
    }

    /** Value {@code i} as an unsigned int. */
    public int unsigned(int i) {
        return data[i] & 0xFF;
    }

    @Override
    public String toString() {
        return "IdxArray[" + file + ", " + Arrays.toString(dims) + "]";
    }
}
