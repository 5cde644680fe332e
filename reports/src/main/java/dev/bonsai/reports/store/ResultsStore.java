package dev.bonsai.reports.store;

import dev.bonsai.api.report.TrialRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The results file of an experiment's output folder, {@code OUT/results.jsonl}: JSON Lines, one
 * {@link TrialRecord} per line, UTF-8.
 *
 * <h2>Format (a public contract: scripts read it)</h2>
 * Each line is one JSON object with exactly these keys, in this order (the record's components in snake_case):
 * {@code experiment, trial_id, status, error, model, dataset, strategy, scope, structure, schedule,
 * target_sparsity, achieved_sparsity, total_parameters, nonzero_parameters, seed, engine, device, metrics, timings,
 * provenance} (see {@link #FIELD_NAMES}). Absent strings (such as {@code error} of a successful trial) are
 * {@code null}. {@code metrics} and {@code timings} are objects of numbers, {@code provenance} an object of
 * strings, each with its keys sorted, so equal records give equal lines. Finite doubles are JSON numbers as
 * {@link Double#toString(double)} writes them; NaN and the infinities are the strings {@code "NaN"},
 * {@code "Infinity"} and {@code "-Infinity"} (see {@link dev.bonsai.reports.io.NumberText}), so every value
 * reads back to the identical {@code double}. When reading, {@code null} in a number's place also reads as NaN,
 * and keys this version does not know are ignored.
 *
 * <h2>Appending</h2>
 * {@link #append(TrialRecord)} serialises the record to one complete line and writes it with a single write to a
 * {@link FileChannel} opened with {@link StandardOpenOption#APPEND}, under an in-process lock and an advisory
 * {@link FileLock} (for several processes sharing one output folder), then forces it to disk. Should the file end
 * in a partial line (a crash of an older writer), the new record starts on a fresh line, so it stays readable.
 *
 * <h2>Reading</h2>
 * {@link #read(Path, Consumer)} returns the good records in file order and reports every damaged line (line
 * number and reason) to a callback and as a Log4j WARN, never failing on them. A last line without a line break
 * is an interrupted write and is reported and skipped even if it happens to parse. Blank lines are ignored.
 *
 * <p>Instances are thread-safe; several instances (and processes) may append to the same file.
 */
public final class ResultsStore {
    /** The results file's name inside an output folder. */
    public static final String FILE_NAME = "results.jsonl";

    /** The JSON keys of a record, in the order they are written. */
    public static final List<String> FIELD_NAMES = RecordJson.FIELDS;

    private static final Logger LOG = LogManager.getLogger(ResultsStore.class);
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    private static final Set<Path> UNLOCKABLE = ConcurrentHashMap.newKeySet();
    private static final byte NEWLINE = '\n';

    private final Path file;

    private ResultsStore(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The store of output folder {@code outDir}: {@code outDir/results.jsonl}. Creates nothing yet. */
    public static ResultsStore in(Path outDir) {
        return new ResultsStore(outDir.resolve(FILE_NAME));
    }

    /** The store in the results file {@code file} itself. Creates nothing yet. */
    public static ResultsStore at(Path file) {
        return new ResultsStore(file);
    }

    /** The results file. */
    public Path file() {
        return file;
    }

    /**
     * Appends {@code record} as one line, atomically, creating the file and its folder if needed; returns once the
     * line is on disk.
     */
    public void append(TrialRecord record) throws IOException {
        byte[] line = (RecordJson.toJson(record) + "\n").getBytes(StandardCharsets.UTF_8);
        Path absolute = file.toAbsolutePath().normalize();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path target = dir.toRealPath().resolve(absolute.getFileName());
        ReentrantLock lock = LOCKS.computeIfAbsent(target, k -> new ReentrantLock());
        lock.lock();
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            FileLock fileLock = lockAcrossProcesses(channel, target);
            try {
                appendLocked(channel, target, line, record);
            } finally {
                if (fileLock != null) {
                    fileLock.release();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * An advisory lock against other processes appending to the same file, or null where the file system has no
     * locks (some network file systems): the single append write still keeps each line whole there.
     */
    private static FileLock lockAcrossProcesses(FileChannel channel, Path target) {
        try {
            return channel.lock();
        } catch (IOException e) {
            if (UNLOCKABLE.add(target)) {
                LOG.warn("Cannot lock {} against other processes ({}); appending without the lock", target,
                        e.getMessage());
            }
            return null;
        }
    }

    private static void appendLocked(FileChannel channel, Path target, byte[] line, TrialRecord record)
            throws IOException {
        long sizeBefore = channel.size();
        ByteBuffer buffer;
        if (endsWithPartialLine(target, sizeBefore)) {
            LOG.warn("{} ends with an incomplete line (an interrupted write?); it stays as a damaged line and "
                    + "the new record for trial {} starts on a new line", target, record.trialId());
            buffer = ByteBuffer.allocate(line.length + 1).put(NEWLINE).put(line).flip();
        } else {
            buffer = ByteBuffer.wrap(line);
        }
        try {
            channel.write(buffer);
            while (buffer.hasRemaining()) { // a regular file writes everything at once unless the disk is full
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            undoPartialAppend(channel, sizeBefore, target, e);
            throw e;
        }
        LOG.debug("Appended trial {} ({}) to {}", record.trialId(), record.status(), target);
    }

    private static boolean endsWithPartialLine(Path target, long size) throws IOException {
        if (size == 0) {
            return false;
        }
        try (FileChannel reader = FileChannel.open(target, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            reader.read(last, size - 1);
            return last.get(0) != NEWLINE;
        }
    }

    private static void undoPartialAppend(FileChannel channel, long sizeBefore, Path target, IOException cause) {
        try {
            if (channel.size() > sizeBefore) {
                channel.truncate(sizeBefore);
            }
        } catch (IOException e) {
            cause.addSuppressed(e);
            LOG.warn("Could not remove the partial record from {} after a failed write; readers will skip it",
                    target);
        }
    }

    /**
     * The good records of this store's file in file order, damaged lines logged and skipped; empty when the file
     * does not exist yet.
     */
    public List<TrialRecord> read() throws IOException {
        return read(d -> { });
    }

    /**
     * The good records of this store's file in file order; each damaged line goes to {@code onDamaged} (and the
     * log). Empty when the file does not exist yet.
     */
    public List<TrialRecord> read(Consumer<? super DamagedLine> onDamaged) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return read(file, onDamaged);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /**
     * The ids of the trials that finished successfully ({@code status} {@code ok}), in file order: what an
     * interrupted sweep skips when it resumes. Failed trials are not in it, so they are tried again.
     */
    public Set<String> finishedTrialIds() throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        for (TrialRecord record : read()) {
            if (record.ok()) {
                ids.add(record.trialId());
            }
        }
        return Collections.unmodifiableSet(ids);
    }

    /**
     * The good records of {@code file} in file order, damaged lines logged as WARN and skipped.
     *
     * @throws NoSuchFileException when the file does not exist
     */
    public static List<TrialRecord> read(Path file) throws IOException {
        return read(file, d -> { });
    }

    /**
     * The good records of {@code file} in file order. Every damaged line (not UTF-8, not JSON, not a record, or an
     * unterminated last line) is logged as WARN, given to {@code onDamaged}, and skipped.
     *
     * @throws NoSuchFileException when the file does not exist
     */
    public static List<TrialRecord> read(Path file, Consumer<? super DamagedLine> onDamaged) throws IOException {
        Objects.requireNonNull(onDamaged, "onDamaged");
        List<TrialRecord> records = new ArrayList<>();
        LineBuffer line = new LineBuffer();
        long lineNumber = 0;
        byte[] chunk = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(chunk)) != -1) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == NEWLINE) {
                        line.append(chunk, start, i - start);
                        lineNumber++;
                        parseLine(file, lineNumber, line, records, onDamaged);
                        line.clear();
                        start = i + 1;
                    }
                }
                line.append(chunk, start, n - start);
            }
        }
        if (!line.isBlank()) {
            lineNumber++;
            damaged(file, lineNumber, "incomplete last line without a line break (an interrupted write?)",
                    onDamaged);
        }
        return records;
    }

    private static void parseLine(Path file, long lineNumber, LineBuffer line, List<TrialRecord> records,
            Consumer<? super DamagedLine> onDamaged) {
        if (line.isBlank()) {
            return;
        }
        String text;
        try {
            text = line.decode();
        } catch (CharacterCodingException e) {
            damaged(file, lineNumber, "not valid UTF-8", onDamaged);
            return;
        }
        try {
            records.add(RecordJson.fromJson(text));
        } catch (IllegalArgumentException e) {
            damaged(file, lineNumber, String.valueOf(e.getMessage()), onDamaged);
        }
    }

    private static void damaged(Path file, long lineNumber, String reason, Consumer<? super DamagedLine> onDamaged) {
        DamagedLine damaged = new DamagedLine(file, lineNumber, reason);
        LOG.warn("Skipped damaged line {} of {}: {}", lineNumber, file, reason);
        onDamaged.accept(damaged);
    }

    /** One record as a single-line JSON object, exactly as {@link #append(TrialRecord)} writes it (no line break). */
    public static String toJson(TrialRecord record) {
        return RecordJson.toJson(record);
    }

    /**
     * Parses one line of a results file.
     *
     * @throws IllegalArgumentException whose message says what is wrong with it
     */
    public static TrialRecord fromJson(String json) {
        return RecordJson.fromJson(json);
    }

    /**
     * All records as one JSON object, {@code {"trials":[...]}}, each element as {@link #toJson(TrialRecord)} writes
     * it, in the given order: what {@code bonsai run --json} prints.
     */
    public static String toJsonObject(List<TrialRecord> records) {
        return RecordJson.toJsonObject(records);
    }

    /**
     * One record per trial id, for reports over records merged from several runs: a successful record wins over a
     * failed one (a retried trial), otherwise the later record wins. Trials keep the position of their first
     * record.
     */
    public static List<TrialRecord> latestPerTrial(List<TrialRecord> records) {
        Map<String, TrialRecord> byId = new LinkedHashMap<>();
        for (TrialRecord record : records) {
            TrialRecord previous = byId.get(record.trialId());
            if (previous == null || record.ok() || !previous.ok()) {
                byId.put(record.trialId(), record);
            }
        }
        return List.copyOf(byId.values());
    }

    /** The bytes of the line being read. */
    private static final class LineBuffer {
        private byte[] bytes = new byte[1024];
        private int length;

        void append(byte[] source, int offset, int count) {
            if (length + count > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
            }
            System.arraycopy(source, offset, bytes, length, count);
            length += count;
        }

        void clear() {
            length = 0;
        }

        boolean isBlank() {
            for (int i = 0; i < length; i++) {
                byte b = bytes[i];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }

        String decode() throws CharacterCodingException {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
            return chars.toString();
        }
    }
}
