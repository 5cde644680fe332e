package dev.bonsai.reports.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Writes whole files so that a reader sees either the old content or the new, never a half-written file: the
 * content goes to a temporary file in the target's own folder, is forced to disk, and is then moved over the
 * target with {@link StandardCopyOption#ATOMIC_MOVE} (falling back to a plain replacing move only where the file
 * system cannot move atomically). The file gets the permissions of the file it replaces, or {@code rw-r--r--} when
 * new (a temporary file alone would be readable by its owner only, and reports are meant to be shared).
 */
public final class AtomicFiles {
    private static final Logger LOG = LogManager.getLogger(AtomicFiles.class);
    private static final Set<PosixFilePermission> SHARED = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {
    }

    /**
     * Writes {@code content} as UTF-8 to {@code target}, atomically, creating its folder if needed.
     *
     * @return {@code target}
     */
    public static Path writeString(Path target, String content) throws IOException {
        return write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code content} to {@code target}, atomically, creating its folder if needed.
     *
     * @return {@code target}
     */
    public static Path write(Path target, byte[] content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        readableLikeAFreshFile(temp, absolute);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                LOG.warn("File system of {} cannot move atomically; replacing it non-atomically", absolute);
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            LOG.debug("Wrote {} ({} bytes)", absolute, content.length);
            return target;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static void readableLikeAFreshFile(Path temp, Path target) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.exists(target) ? Files.getPosixFilePermissions(target)
                    : SHARED;
            Files.setPosixFilePermissions(temp, permissions);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its default permissions apply
        }
    }
}
