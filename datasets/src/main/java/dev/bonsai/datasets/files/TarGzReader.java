package dev.bonsai.datasets.files;

import dev.bonsai.api.BonsaiException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Streams the regular files of a {@code .tar.gz} (or plain {@code .tar}) archive with the JDK only: ustar and GNU
 * headers, long names ({@code ././@LongLink}) and PAX path records. Nothing is written to disk, so a hostile
 * archive cannot place files anywhere; members are read straight from the stream.
 */
public final class TarGzReader {
    private static final int BLOCK = 512;

    private TarGzReader() {
    }

    /** Receives one member. */
    @FunctionalInterface
    public interface Member {
        /**
         * Reads a member.
         *
         * @param name its path inside the archive, for example {@code cifar-10-batches-bin/data_batch_1.bin}
         * @param size its size in bytes
         * @param in   its content: exactly {@code size} bytes; what is not read is skipped
         */
        void accept(String name, long size, InputStream in) throws IOException;
    }

    /**
     * Calls {@code member} for every regular file in {@code archive}, in archive order.
     *
     * @throws BonsaiException when the archive cannot be read, is not valid gzip, or is a truncated or corrupt tar,
     *                         naming the archive and the member
     */
    public static void read(Path archive, Member member) {
        String current = "(header)";
        try (InputStream raw = Files.newInputStream(archive)) {
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            buffered.mark(2);
            boolean gzip = buffered.read() == 0x1F && buffered.read() == 0x8B;
            buffered.reset();
            InputStream in = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (true) {
                int n = in.readNBytes(header, 0, BLOCK);
                if (n == 0) {
                    return; // no end-of-archive blocks: tolerated, as GNU tar does
                }
                if (n < BLOCK) {
                    throw new BonsaiException("Archive " + archive + " is truncated: a tar header needs " + BLOCK
                            + " bytes, found " + n + " after " + current);
                }
                if (isZero(header)) {
                    return;
                }
                checkChecksum(archive, header, current);
                long size = octal(header, 124, 12, archive);
                char type = (char) header[156];
                String name = longName != null ? longName : name(header);
                longName = null;
                current = name;
                if (type == 'L' || type == 'x') {
                    byte[] data = in.readNBytes((int) Math.min(size, 1 << 20));
                    skip(in, padded(size) - data.length, archive, name);
                    if (type == 'L') {
                        longName = cString(data, 0, data.length);
                    } else {
                        longName = paxPath(data);
                    }
                    continue;
                }
                if (type == '0' || type == '\0' || type == '7') {
                    Bounded content = new Bounded(in, size);
                    member.accept(name, size, content);
                    long left = content.remaining;
                    skip(in, left, archive, name);
                    skip(in, padded(size) - size, archive, name);
                } else {
                    skip(in, padded(size), archive, name);
                }
            }
        } catch (NoSuchFileException e) {
            throw new BonsaiException("Archive " + archive + " does not exist", e);
        } catch (EOFException e) {
            throw new BonsaiException("Archive " + archive + " is truncated inside member " + current + ": " + e, e);
        } catch (IOException e) {
            throw new BonsaiException("Archive " + archive + " is corrupt or truncated (not a valid gzip/tar stream) "
                    + "at member " + current + ": " + e, e);
        }
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static void skip(InputStream in, long n, Path archive, String name) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the archive ends " + left + " bytes early");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void checkChecksum(Path archive, byte[] header, String previous) {
        long stored;
        try {
            stored = octal(header, 148, 8, archive);
        } catch (BonsaiException e) {
            throw new BonsaiException("Archive " + archive + " is not a tar archive (or is corrupt): the header after "
                    + previous + " has no valid checksum", e);
        }
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xFF);
        }
        if (sum != stored) {
            throw new BonsaiException("Archive " + archive + " is not a tar archive (or is corrupt): the header after "
                    + previous + " has checksum " + stored + " but its bytes sum to " + sum);
        }
    }

    private static String name(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r';
        if (ustar) {
            String prefix = cString(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        return name;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static String paxPath(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        for (String record : text.split("\n")) {
            int space = record.indexOf(' ');
            String kv = space >= 0 ? record.substring(space + 1) : record;
            if (kv.startsWith("path=")) {
                return kv.substring(5);
            }
        }
        return null;
    }

    private static long octal(byte[] b, int off, int len, Path archive) {
        if ((b[off] & 0x80) != 0) { // GNU base-256
            long v = b[off] & 0x7F;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (b[i] & 0xFF);
            }
            return v;
        }
        long v = 0;
        int i = off;
        while (i < off + len && (b[i] == ' ' || b[i] == 0)) {
            i++;
        }
        boolean any = false;
        for (; i < off + len && b[i] != 0 && b[i] != ' '; i++) {
            if (b[i] < '0' || b[i] > '7') {
                throw new BonsaiException("Archive " + archive + " has a corrupt tar header: '"
                        + cString(b, off, len) + "' is not an octal number");
            }
            v = v * 8 + (b[i] - '0');
            any = true;
        }
        return any ? v : 0;
    }

    /** A member's content: at most {@code size} bytes of the archive stream; closing it does nothing. */
    private static final class Bounded extends FilterInputStream {
        long remaining;

        Bounded(InputStream in, long size) {
            super(in);
            this.remaining = size;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b < 0) {
                throw new EOFException("the archive ends " + remaining + " bytes before the member's end");
            }
            remaining--;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(buf, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("the archive ends " + remaining + " bytes before the member's end");
            }
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(Math.min(n, remaining));
            remaining -= s;
            return s;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public void close() {
            // the archive stream stays open
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
