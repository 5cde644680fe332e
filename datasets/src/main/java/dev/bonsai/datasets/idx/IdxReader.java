package dev.bonsai.datasets.idx;

import dev.bonsai.api.BonsaiException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a big-endian header (two zero bytes, a type code, the
 * number of dimensions, then each dimension as a 32-bit integer) followed by the values, row-major.
 *
 * <p>Files may be gzip-compressed or not; gzip is recognised by its magic bytes, not by the file name. Only
 * unsigned-byte data (type code {@code 0x08}) is supported. The reader checks the magic number, the dimensions, and
 * that the file holds exactly the data its header announces; anything else is a {@link BonsaiException} naming the
 * file and what was expected and found.
 *
 * <p>Reading is done in large blocks straight into the result array, so MNIST's 47 MB of training images decode in
 * a fraction of a second.
 */
public final class IdxReader {
    /** The magic number of an IDX file of images: unsigned bytes, 3 dimensions (count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x0803;
    /** The magic number of an IDX file of labels: unsigned bytes, 1 dimension (count). */
    public static final int LABELS_MAGIC = 0x0801;

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int BUFFER_SIZE = 1 << 16;

    private IdxReader() {
    }

    /** Reads an IDX file of images: magic {@value #IMAGES_MAGIC}, dimensions {@code [count, rows, columns]}. */
    public static IdxArray readImages(Path file) {
        return read(file, IMAGES_MAGIC);
    }

    /** Reads an IDX file of labels: magic {@value #LABELS_MAGIC}, dimensions {@code [count]}. */
    public static IdxArray readLabels(Path file) {
        return read(file, LABELS_MAGIC);
    }

    /**
     * Reads an IDX file that must have magic number {@code expectedMagic}.
     *
     * @throws BonsaiException when the file cannot be read, has another magic number, or holds more or less data
     *                         than its header announces
     */
    public static IdxArray read(Path file, int expectedMagic) {
        return decode(file, expectedMagic);
    }

    /**
     * Reads an IDX file of unsigned bytes of any rank.
     *
     * @throws BonsaiException when the file cannot be read, is not an unsigned-byte IDX file, or holds more or less
     *                         data than its header announces
     */
    public static IdxArray read(Path file) {
        return decode(file, -1);
    }

    private static IdxArray decode(Path file, int expectedMagic) {
        boolean gzip = false;
        long position = 0;
        try (InputStream raw = Files.newInputStream(file)) {
            BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER_SIZE);
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            gzip = b0 == 0x1F && b1 == 0x8B;
            InputStream in = gzip ? new GZIPInputStream(buffered, BUFFER_SIZE) : buffered;

            byte[] head = new byte[4];
            int n = readFully(in, head, 0, 4);
            position += n;
            if (n < 4) {
                throw error(file, gzip, "is truncated: an IDX header needs at least 4 bytes, found " + n);
            }
            int magic = readInt(head, 0);
            if (expectedMagic >= 0 && magic != expectedMagic) {
                throw error(file, gzip, "has the wrong magic number: expected " + describeMagic(expectedMagic)
                        + ", found " + describeMagic(magic) + ". Is it the right file?");
            }
            if ((magic >>> 16) != 0) {
                throw error(file, gzip, "is not an IDX file: its magic number is " + describeMagic(magic));
            }
            int type = (magic >>> 8) & 0xFF;
            if (type != UNSIGNED_BYTE) {
                throw error(file, gzip, "holds values of type 0x" + Integer.toHexString(type)
                        + "; only unsigned bytes (type 0x08) are supported");
            }
            int rank = magic & 0xFF;
            if (rank == 0) {
                throw error(file, gzip, "announces 0 dimensions (magic " + describeMagic(magic) + ")");
            }

            byte[] dimBytes = new byte[4 * rank];
            n = readFully(in, dimBytes, 0, dimBytes.length);
            position += n;
            if (n < dimBytes.length) {
                throw error(file, gzip, "is truncated in its header: " + rank + " dimensions need " + (4 + 4 * rank)
                        + " header bytes, found " + (4 + n));
            }
            int[] dims = new int[rank];
            long size = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = readInt(dimBytes, 4 * i);
                if (dims[i] < 0) {
                    throw error(file, gzip, "announces a negative dimension: " + Arrays.toString(Arrays.copyOf(dims, i + 1)));
                }
                size *= dims[i];
                if (size > Integer.MAX_VALUE - 8) {
                    throw error(file, gzip, "announces more values than fit in one array: dimensions "
                            + Arrays.toString(Arrays.copyOf(dims, i + 1)) + "…");
                }
            }

            byte[] data = new byte[(int) size];
            n = readFully(in, data, 0, data.length);
            position += n;
            if (n < data.length) {
                throw error(file, gzip, "is truncated: its header announces dimensions " + Arrays.toString(dims)
                        + ", that is " + data.length + " data bytes, but only " + n + " follow the header");
            }
            long extra = skipToEnd(in);
            position += extra;
            if (extra > 0) {
                throw error(file, gzip, "holds more data than its header announces: dimensions "
                        + Arrays.toString(dims) + " need " + data.length + " data bytes, but " + (data.length + extra)
                        + " follow the header");
            }
            return new IdxArray(file, magic, dims, data);
        } catch (NoSuchFileException e) {
            throw new BonsaiException("IDX file " + file + " does not exist", e);
        } catch (IOException e) {
            String what = gzip
                    ? "is not a valid gzip stream (corrupt or truncated) at decompressed byte " + position
                    : "could not be read at byte " + position;
            throw new BonsaiException("IDX file " + file + " " + what + ": " + e, e);
        }
    }

    /** Reads until {@code len} bytes are read or the stream ends; returns how many were read. */
    private static int readFully(InputStream in, byte[] buffer, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(buffer, off + done, len - done);
            if (n < 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    private static long skipToEnd(InputStream in) throws IOException {
        byte[] scratch = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(scratch)) >= 0) {
            total += n;
        }
        return total;
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    /** A magic number as the file states it, with its meaning when it is an IDX magic number. */
    static String describeMagic(int magic) {
        if ((magic >>> 16) != 0) {
            return String.format("0x%08X (not an IDX header)", magic);
        }
        int type = (magic >>> 8) & 0xFF;
        int rank = magic & 0xFF;
        String typeName = switch (type) {
            case 0x08 -> "unsigned bytes";
            case 0x09 -> "signed bytes";
            case 0x0B -> "shorts";
            case 0x0C -> "ints";
            case 0x0D -> "floats";
            case 0x0E -> "doubles";
            default -> "unknown type 0x" + Integer.toHexString(type);
        };
        return magic + " (" + typeName + ", " + rank + (rank == 1 ? " dimension)" : " dimensions)");
    }

    private static BonsaiException error(Path file, boolean gzip, String what) {
        return new BonsaiException("IDX file " + file + (gzip ? " (gzip)" : "") + " " + what);
    }
}
