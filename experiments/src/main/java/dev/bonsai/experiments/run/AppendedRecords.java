package dev.bonsai.experiments.run;

import dev.bonsai.reports.store.ResultsStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The trials whose records were appended to a results file after a point in it: how a run learns which trials
 * another run sharing its output folder has recorded meanwhile. Each look reads only the complete lines appended
 * since the last; lines that do not parse are skipped here (reading the whole file reports them). Thread-safe.
 */
final class AppendedRecords {
    private static final byte NEWLINE = '\n';

    private final Path file;
    private final Set<String> trialIds = new HashSet<>();
    private long offset;

    private AppendedRecords(Path file, long offset) {
        this.file = file;
        this.offset = offset;
    }

    /** The records appended to {@code file} from now on (from its start if it does not exist yet). */
    static AppendedRecords from(Path file) throws IOException {
        return new AppendedRecords(file, Files.exists(file) ? Files.size(file) : 0);
    }

    /** Whether a record of {@code trialId} has been appended since this was made. */
    synchronized boolean contains(String trialId) throws IOException {
        readAppended();
        return trialIds.contains(trialId);
    }

    private void readAppended() throws IOException {
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= offset) {
                return;
            }
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(size - offset));
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    break; // the file shrank meanwhile: what was read is all there is
                }
            }
            bytes = Arrays.copyOf(buffer.array(), buffer.position());
        } catch (NoSuchFileException e) {
            return;
        }
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == NEWLINE) {
                String line = new String(bytes, start, i - start, StandardCharsets.UTF_8).strip();
                start = i + 1;
                if (!line.isEmpty()) {
                    try {
                        trialIds.add(ResultsStore.fromJson(line).trialId());
                    } catch (IllegalArgumentException e) {
                        // a damaged line: the run's full reads of the file report it
                    }
                }
            }
        }
        offset += start; // an unfinished last line is read again, whole, next time
    }
}
