package dev.bonsai.datasets.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SHA-256 of files, remembered within the JVM per path, size, modification time and file key, so that a file
 * that has not changed is hashed once however often it is resolved.
 */
final class Checksums {
    private static final Map<Stamp, String> KNOWN = new ConcurrentHashMap<>();
    private static final AtomicLong HASHED_FILES = new AtomicLong();
    private static final int BUFFER_SIZE = 1 << 20;

    private Checksums() {
    }

    /** The SHA-256 of {@code file}, lower-case hex: remembered if the file is unchanged, else computed. */
    static String sha256(Path file) throws IOException {
        Stamp stamp = Stamp.of(file);
        String known = KNOWN.get(stamp);
        if (known != null) {
            return known;
        }
        String actual = hash(file);
        // the file may have changed while it was hashed: remember it only under a stamp that held throughout
        if (Stamp.of(file).equals(stamp)) {
            KNOWN.put(stamp, actual);
        }
        return actual;
    }

    /** Records that {@code file}, as it is now, has SHA-256 {@code sha256} (just computed while writing it). */
    static void remember(Path file, String sha256) throws IOException {
        KNOWN.put(Stamp.of(file), sha256);
    }

    /** How many files have been hashed from disk in this JVM (for tests of the cache). */
    static long hashedFiles() {
        return HASHED_FILES.get();
    }

    /** A new SHA-256 digest. */
    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Lower-case hex. */
    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    private static String hash(Path file) throws IOException {
        HASHED_FILES.incrementAndGet();
        MessageDigest digest = newDigest();
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
        }
        return hex(digest.digest());
    }

    /** What identifies one version of a file. */
    private record Stamp(Path path, long size, long modifiedNanos, Object fileKey) {
        static Stamp of(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(file.toAbsolutePath().normalize(), attributes.size(),
                    attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                    attributes.fileKey());
        }
    }
}
