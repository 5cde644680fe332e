package dev.bonsai.experiments.executor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Claims on the trials of one output folder, so that runs sharing the folder (two {@code bonsai run}s of the same
 * descriptor started one after the other) compute each trial once: a run claims a trial before computing it and
 * holds the claim until the trial's record is appended; a trial another run holds is skipped, to be waited for.
 *
 * <p>A claim is an exclusive {@link java.nio.channels.FileLock} on {@code OUT/.claims/<trial id>}, a file that names
 * its holder (process id and host, then when it claimed the trial) for messages. The operating system releases the
 * lock when the holding process ends, however it ends, so a killed run leaves no trial claimed and the next run
 * computes it. The files stay (deleting a lock file another process is about to lock would let two processes hold
 * "the" lock); they are a few bytes each, and may be deleted when no run uses the folder. Java's file locks belong to
 * the whole JVM, so claims held in this JVM are also kept in a set: a second run on the same folder in this JVM sees
 * them as held, and no {@link OverlappingFileLockException} arises. Where the file system has no locks, a claim is
 * taken in this JVM only (with a warning).
 *
 * <p>When the lock is had, the claim checks whether another run has recorded the trial since this run planned (it
 * finished while this run was busy with other trials); such a trial is not claimed and not computed again.
 *
 * <p>Claims are taken by the process that runs {@code bonsai run} (the driver): the {@code local} executor claims
 * each trial as it starts it, executors that run trials elsewhere claim those they submit for as long as they
 * wait for them. Processes that compute a trial for a driver (a Spark task, a Slurm array task) take no claim.
 * Thread-safe.
 */
public final class TrialClaims {
    /** The folder of claim files inside an output folder. */
    public static final String FOLDER = ".claims";

    private static final Logger LOG = LogManager.getLogger(TrialClaims.class);
    /** Claim files locked by this JVM, whichever run holds them. */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();
    private static final Set<Path> UNLOCKABLE = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final RecordedElsewhere recorded;
    private final Set<String> heldElsewhere = ConcurrentHashMap.newKeySet();
    private final Set<String> recordedElsewhere = ConcurrentHashMap.newKeySet();

    /** Whether another run has appended a record of a trial since this run planned its sweep. */
    @FunctionalInterface
    public interface RecordedElsewhere {
        /** True when a record of {@code trialId} was appended since this run read the results file. */
        boolean test(String trialId) throws IOException;
    }

    /**
     * The claims of output folder {@code out}.
     *
     * @param out      the run's output folder
     * @param recorded tells trials that another run recorded after this one planned
     */
    public TrialClaims(Path out, RecordedElsewhere recorded) {
        this.dir = out.toAbsolutePath().normalize().resolve(FOLDER);
        this.recorded = Objects.requireNonNull(recorded, "recorded");
    }

    /**
     * Claims {@code trialId} for this run. Empty when another run holds it (it is remembered, see
     * {@link #takeHeldElsewhere()}) or when another run has recorded it meanwhile (see {@link #recordedElsewhere()}):
     * either way, do not compute it.
     */
    public Optional<Claim> claim(String trialId) throws IOException {
        Optional<Claim> claim = lock(trialId);
        if (claim.isEmpty()) {
            heldElsewhere.add(trialId);
            return claim;
        }
        if (recordedSincePlanning(trialId)) {
            claim.get().close();
            return Optional.empty();
        }
        claim.get().writeHolder();
        return claim;
    }

    /** Claims every trial of {@code trials} that can be claimed; see {@link #claim(String)}. */
    public Batch claimAll(List<PlannedTrial> trials) throws IOException {
        Batch batch = new Batch();
        try {
            for (PlannedTrial trial : trials) {
                claim(trial.id()).ifPresent(c -> batch.add(trial, c));
            }
        } catch (IOException | RuntimeException e) {
            batch.close();
            throw e;
        }
        return batch;
    }

    /**
     * Whether another run has recorded {@code trialId} since this run planned; remembered in
     * {@link #recordedElsewhere()} when so.
     */
    public boolean recordedSincePlanning(String trialId) throws IOException {
        if (recorded.test(trialId)) {
            recordedElsewhere.add(trialId);
            LOG.info("trial {} was computed by another run on {} meanwhile; not computed again", trialId,
                    dir.getParent());
            return true;
        }
        return false;
    }

    /** The trials refused since the last call because another run held them, in the order refused; clears them. */
    public Set<String> takeHeldElsewhere() {
        Set<String> out = new LinkedHashSet<>();
        for (String id : List.copyOf(heldElsewhere)) {
            if (heldElsewhere.remove(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** The trials another run recorded while this run was going; this run computed none of them. */
    public Set<String> recordedElsewhere() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(recordedElsewhere));
    }

    /** Whether no process holds the claim of {@code trialId} at this moment. */
    public boolean isFree(String trialId) throws IOException {
        Optional<Claim> probe = lock(trialId);
        probe.ifPresent(Claim::close);
        return probe.isPresent();
    }

    /** Who holds the claim of {@code trialId} as its holder wrote it, {@code process PID on HOST}; empty if unknown. */
    public String holder(String trialId) {
        try {
            return Files.readString(file(trialId), StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
        } catch (IOException e) {
            return "";
        }
    }

    private Path file(String trialId) {
        if (!trialId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("trial id '" + trialId + "' cannot name a claim file");
        }
        return dir.resolve(trialId);
    }

    /** The lock of {@code trialId}'s claim file, or empty when another run (here or elsewhere) holds it. */
    private Optional<Claim> lock(String trialId) throws IOException {
        Path file = file(trialId);
        if (!HELD_HERE.add(file)) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            if (!lockedHere(channel)) {
                channel.close();
                HELD_HERE.remove(file);
                return Optional.empty();
            }
            return Optional.of(new Claim(trialId, file, channel));
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            HELD_HERE.remove(file);
            throw e;
        }
    }

    /**
     * Locks {@code channel}'s file for this process: false when another process holds the lock; true also where the
     * file system has no locks (the claim then holds in this JVM only), which is said once per folder.
     */
    private boolean lockedHere(FileChannel channel) {
        try {
            return channel.tryLock() != null;
        } catch (OverlappingFileLockException e) {
            return false; // this JVM holds it through a channel not taken here; HELD_HERE keeps this class from that
        } catch (IOException e) {
            if (UNLOCKABLE.add(dir)) {
                LOG.warn("Cannot lock files in {} ({}); trials are claimed in this process only, so another run on "
                        + "the same folder may compute them again", dir, e.getMessage());
            }
            return true;
        }
    }

    private static String self() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "an unknown host";
        }
        return "process " + ProcessHandle.current().pid() + " on " + host + "\nclaimed at " + Instant.now();
    }

    /** One trial claimed by this run; closing releases it. */
    public static final class Claim implements AutoCloseable {
        private final String trialId;
        private final Path file;
        private final FileChannel channel;
        private boolean released;

        private Claim(String trialId, Path file, FileChannel channel) {
            this.trialId = trialId;
            this.file = file;
            this.channel = channel;
        }

        /** The trial claimed. */
        public String trialId() {
            return trialId;
        }

        private void writeHolder() {
            try {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((self() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            } catch (IOException e) {
                LOG.debug("could not note the holder in {}: {}", file, e.getMessage());
            }
        }

        /** Releases the claim: the file's lock first, then this JVM's note of it. */
        @Override
        public synchronized void close() {
            if (released) {
                return;
            }
            released = true;
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("could not close the claim file {}: {}", file, e.getMessage());
            } finally {
                HELD_HERE.remove(file);
            }
        }
    }

    /** The trials of a list that were claimed, each released once its record is appended, the rest on close. */
    public static final class Batch implements AutoCloseable {
        private final Map<String, Claim> claims = new LinkedHashMap<>();
        private final List<PlannedTrial> trials = new ArrayList<>();

        private Batch() {
        }

        private synchronized void add(PlannedTrial trial, Claim claim) {
            trials.add(trial);
            claims.put(trial.id(), claim);
        }

        /** The trials claimed, in the order given. */
        public synchronized List<PlannedTrial> trials() {
            return List.copyOf(trials);
        }

        /** {@code sink}, releasing each trial's claim once its record is appended. */
        public RecordSink releasing(RecordSink sink) {
            return record -> {
                sink.accept(record);
                Claim claim;
                synchronized (this) {
                    claim = claims.remove(record.trialId());
                }
                if (claim != null) {
                    claim.close();
                }
            };
        }

        /** Releases the claims still held. */
        @Override
        public synchronized void close() {
            claims.values().forEach(Claim::close);
            claims.clear();
        }
    }
}
