package dev.bonsai.datasets.files;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.PluginVersions;
import dev.bonsai.api.data.DataFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Downloads a {@link DataFile} from its mirrors: streamed into a partial file beside the target,
 * {@code <name>.part}, hashed while streaming, and moved into place atomically only when whole and verified (never
 * written under the final name before). Mirrors are tried in order; transient failures (I/O errors, stalls, HTTP
 * 408, 416, 429 and 5xx) are retried with exponential back-off. When an attempt breaks off after some bytes arrived,
 * the next attempt asks for the rest with an HTTP {@code Range} request and appends it if the server answers
 * {@code 206} from that byte (re-hashing what is already there), or starts over if it answers {@code 200}.
 *
 * <p>Resumed across runs: when every attempt broke off, the bytes received are kept in {@code <name>.part}, and the
 * next download of the file (in a later process) resumes from them. The SHA-256 of the whole file is verified as
 * always; if resumed bytes turn out not to belong to the file, the download starts again from the first byte. A
 * download that failed for good (a wrong checksum, a 404) leaves nothing. The partial file is locked while a
 * process downloads into it; another process downloading the same file at the same time uses a private partial file
 * of its own ({@code .<name>.<random>.part}), which it deletes when it stops (a killed process's private parts are
 * deleted after a day).
 */
final class Downloader {
    private static final Logger LOG = LogManager.getLogger(Downloader.class);
    private static final Duration STALE_PART = Duration.ofDays(1);

    private final int attemptsPerMirror;
    private final Duration backoff;
    private final Duration connectTimeout;
    private final Duration stallTimeout;
    private final long progressStep;
    private final boolean progressBars;
    private HttpClient client;

    /**
     * A downloader.
     *
     * @param attemptsPerMirror how often each mirror is tried when it fails transiently (at least 1)
     * @param backoff           the wait before the second attempt; it doubles for each further attempt
     * @param connectTimeout    how long to wait for a connection and for the response headers
     * @param stallTimeout      how long the body may send nothing before the attempt is abandoned
     * @param progressStep      log progress each time this many more bytes have arrived
     */
    Downloader(int attemptsPerMirror, Duration backoff, Duration connectTimeout, Duration stallTimeout,
            long progressStep) {
        if (attemptsPerMirror < 1) {
            throw new IllegalArgumentException("attempts per mirror must be at least 1, not " + attemptsPerMirror);
        }
        this.attemptsPerMirror = attemptsPerMirror;
        this.backoff = backoff;
        this.connectTimeout = connectTimeout;
        this.stallTimeout = stallTimeout;
        this.progressStep = progressStep;
        this.progressBars = false;
    }

    /** These settings with a terminal progress bar on standard error ({@code true}) or log lines. */
    Downloader withProgressBars(boolean bars) {
        return new Downloader(this, bars);
    }

    private Downloader(Downloader settings, boolean progressBars) {
        this.attemptsPerMirror = settings.attemptsPerMirror;
        this.backoff = settings.backoff;
        this.connectTimeout = settings.connectTimeout;
        this.stallTimeout = settings.stallTimeout;
        this.progressStep = settings.progressStep;
        this.progressBars = progressBars;
    }

    /**
     * The settings for real downloads: 3 attempts per mirror, 2 s back-off, 60 s timeouts; a progress bar with bytes
     * and rate on standard error when the process has a terminal, else a log line every 4 MB.
     */
    static Downloader standard() {
        Downloader plain = new Downloader(3, Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(60),
                4_000_000L);
        return plain.withProgressBars(System.console() != null);
    }

    /**
     * Downloads {@code file} of {@code datasetId} to {@code target}.
     *
     * @return {@code target}, holding the verified file
     * @throws DownloadFailedException when no mirror gave a whole, verified file; nothing is left at {@code target}
     * @throws BonsaiException          when the target's folder cannot be written, or the thread was interrupted
     */
    Path download(String datasetId, DataFile file, Path target) throws DownloadFailedException {
        Path folder = target.getParent();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new BonsaiException("Cannot create the dataset cache folder " + folder + " to download "
                    + datasetId + "/" + file.path() + " into: " + e + ". Make it writable, or set "
                    + DataLocations.DATA_DIR_VARIABLE + " (or --data-dir) to a folder that holds " + datasetId + "/"
                    + file.path() + ".", e);
        }
        deleteStaleParts(folder, target.getFileName().toString());
        List<String> failures = new ArrayList<>();
        Partial partial = Partial.claim(target, file.size(), datasetId + "/" + file.path());
        try {
            return tryMirrors(datasetId, file, target, failures, partial);
        } finally {
            partial.close();
        }
    }

    private Path tryMirrors(String datasetId, DataFile file, Path target, List<String> failures, Partial partial)
            throws DownloadFailedException {
        for (URI mirror : file.mirrors()) {
            for (int attempt = 1; attempt <= attemptsPerMirror; attempt++) {
                try {
                    attemptOnce(datasetId, file, mirror, target, partial);
                    return target;
                } catch (AttemptFailure failure) {
                    String label = mirror + (attemptsPerMirror > 1 ? " (attempt " + attempt + ")" : "");
                    failures.add(label + ": " + failure.getMessage());
                    boolean retry = failure.retryable && attempt < attemptsPerMirror;
                    LOG.warn("Download of {}/{} from {} failed: {}{}", datasetId, file.path(), label,
                            failure.getMessage(), retry ? "; retrying" : "");
                    if (!retry) {
                        break;
                    }
                    sleep(backoff.multipliedBy(1L << (attempt - 1)), datasetId, file);
                }
            }
        }
        throw new DownloadFailedException(failures);
    }

    private void attemptOnce(String datasetId, DataFile file, URI uri, Path target, Partial partial)
            throws AttemptFailure {
        Sink sink = null;
        CompletableFuture<HttpResponse<Void>> response = null;
        boolean keep = false;
        try {
            sink = new Sink(partial.channel, partial.bytes, file.size(), datasetId + "/" + file.path(), uri,
                    progressStep, progressBars);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(connectTimeout)
                    .header("User-Agent", "bonsai-datasets/" + PluginVersions.of(Downloader.class))
                    .GET();
            if (partial.bytes > 0) {
                request.header("Range", "bytes=" + partial.bytes + "-");
                LOG.info("Resuming the download of {}/{} at byte {}", datasetId, file.path(), partial.bytes);
            }
            Sink body = sink;
            response = client().sendAsync(request.build(), info -> body.accepts(info)
                    ? HttpResponse.BodySubscribers.fromSubscriber(body)
                    : HttpResponse.BodySubscribers.replacing(null));
            try {
                await(response, sink, datasetId, file, uri);
                if (sink.rejection != null) {
                    throw sink.rejection;
                }
                if (sink.sha256 == null) {
                    throw new AttemptFailure("the response ended without a whole body", true);
                }
            } catch (AttemptFailure failure) {
                // what arrived intact is kept for a ranged request on the next attempt
                // (a response that was refused, say a 404 or 503, leaves earlier bytes as they were)
                keep = sink.accepted ? failure.retryable && sink.received > 0 : partial.bytes > 0;
                throw failure;
            }
            String actual = sink.sha256;
            if (!actual.equalsIgnoreCase(file.sha256()) && sink.startBytes > 0) {
                throw new AttemptFailure("the file resumed at byte " + sink.startBytes + " has SHA-256 " + actual
                        + ", not the expected " + file.sha256().toLowerCase(Locale.ROOT) + ": the bytes kept from "
                        + "before do not belong to it; starting again from the first byte", true);
            }
            if (!actual.equalsIgnoreCase(file.sha256())) {
                throw new AttemptFailure("the server sent " + sink.received + " bytes with SHA-256 " + actual
                        + ", but the expected SHA-256 is " + file.sha256().toLowerCase(Locale.ROOT)
                        + (file.size() >= 0 ? " (" + file.size() + " bytes)" : "")
                        + "; the mirror's copy is wrong or was altered in transit", false);
            }
            moveIntoPlace(partial.path, target);
            partial.moved = true;
            partial.bytes = 0;
            Checksums.remember(target, actual);
        } catch (IOException e) {
            throw new AttemptFailure(e.toString(), true);
        } finally {
            if (sink != null) {
                sink.close();
            }
            if (response != null) {
                response.cancel(true);
            }
            if (keep) {
                partial.bytes = sink.accepted ? sink.received : partial.bytes;
            } else {
                partial.discard();
            }
        }
    }

    /**
     * The partial file of a download, kept between attempts, and between runs when it is the shared
     * {@code <name>.part}, so that a later attempt can resume it. Written only through {@link #channel}, which also
     * holds the lock (a second channel's close would release it).
     */
    private static final class Partial {
        final Path path;
        final FileChannel channel;
        final boolean shared;
        final String name;
        long bytes;
        boolean moved;

        private Partial(Path path, FileChannel channel, boolean shared, String name, long bytes) {
            this.path = path;
            this.channel = channel;
            this.shared = shared;
            this.name = name;
            this.bytes = bytes;
        }

        /**
         * The shared partial file of {@code target}, locked, with the bytes an earlier run left in it; or, when
         * another download of the same file holds it, a new private one.
         */
        static Partial claim(Path target, long expectedSize, String name) {
            Path shared = target.resolveSibling(target.getFileName() + ".part");
            FileChannel channel = null;
            try {
                // created with the default permissions (not createTempFile's owner-only ones): it becomes the file
                channel = FileChannel.open(shared, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                if (channel.tryLock() != null) {
                    long size = channel.size();
                    if (expectedSize >= 0 && size > expectedSize) {
                        LOG.info("The partial download {} holds {} bytes, more than the {} of {}: starting again",
                                shared, size, expectedSize, name);
                        channel.truncate(0);
                        size = 0;
                    } else if (size > 0) {
                        LOG.info("Found {} of {} from an earlier download in {}: resuming from there",
                                megabytes(size), name, shared);
                    }
                    return new Partial(shared, channel, true, name, size);
                }
                channel.close();
            } catch (OverlappingFileLockException e) {
                closeQuietly(channel);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new BonsaiException("Cannot write the partial download " + shared + " of " + name + ": " + e
                        + ". Make its folder writable, or point --data-dir at a folder that holds the file.", e);
            }
            LOG.info("Another download of {} is using {}; this one downloads into a file of its own", name, shared);
            Path own = target.resolveSibling("." + target.getFileName() + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".part");
            try {
                return new Partial(own, FileChannel.open(own, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE), false, name, 0);
            } catch (IOException e) {
                throw new BonsaiException("Cannot write the partial download " + own + " of " + name + ": " + e, e);
            }
        }

        /** Drops the bytes received so far: the next attempt starts from the first byte. */
        void discard() {
            if (moved) {
                return; // the file is the target now
            }
            try {
                channel.truncate(0);
            } catch (IOException e) {
                LOG.warn("Could not empty the partial download {}: {}", path, e.toString());
            }
            bytes = 0;
        }

        /**
         * Ends the download: a shared partial file that holds bytes is kept for the next run; otherwise the file is
         * deleted (unless it became the target).
         */
        void close() {
            boolean keep = !moved && shared && bytes > 0;
            try {
                if (!moved && !keep) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                LOG.warn("Could not delete the partial download {}: {}", path, e.toString());
            } finally {
                closeQuietly(channel); // releases the lock
            }
            if (keep) {
                LOG.info("Kept the {} of {} received so far in {}: the next download resumes from there",
                        megabytes(bytes), name, path);
            }
        }

        private static void closeQuietly(FileChannel channel) {
            if (channel == null) {
                return;
            }
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Could not close a partial download: {}", e.toString());
            }
        }
    }

    /**
     * Waits until the response is complete, whole or failed. The HTTP client has no timeout for the body, so a
     * body that sends nothing for {@link #stallTimeout} is abandoned here.
     */
    private void await(CompletableFuture<HttpResponse<Void>> response, Sink sink, String datasetId, DataFile file,
            URI uri) throws AttemptFailure {
        CompletableFuture<Object> finished = CompletableFuture.anyOf(response, sink.done);
        long poll = Math.max(10, Math.min(1000, stallTimeout.toMillis() / 4));
        while (true) {
            try {
                finished.get(poll, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (sink.idleNanos() > stallTimeout.toNanos()) {
                    throw new AttemptFailure("no data arrived for " + seconds(stallTimeout) + " (after "
                            + sink.received + " bytes)", true);
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : e.getCause();
                if (cause instanceof AttemptFailure failure) {
                    throw failure;
                }
                throw new AttemptFailure(String.valueOf(cause), true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BonsaiException("Interrupted while downloading " + datasetId + "/" + file.path()
                        + " from " + uri, e);
            }
        }
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes partial downloads of this file that a killed process left behind, long unmodified. */
    private static void deleteStaleParts(Path folder, String name) {
        Instant before = Instant.now().minus(STALE_PART);
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(folder, "." + name + ".*.part")) {
            for (Path part : parts) {
                if (Files.getLastModifiedTime(part).toInstant().isBefore(before)) {
                    Files.deleteIfExists(part);
                    LOG.info("Deleted the stale partial download {}", part);
                }
            }
        } catch (IOException e) {
            LOG.debug("Could not look for stale partial downloads in {}: {}", folder, e.toString());
        }
    }

    private static void sleep(Duration duration, String datasetId, DataFile file) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BonsaiException("Interrupted while waiting to retry the download of " + datasetId + "/"
                    + file.path(), e);
        }
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
        }
        return client;
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static String rate(long bytes, long nanos) {
        return nanos <= 0 ? "? MB/s" : String.format(Locale.ROOT, "%.1f MB/s", bytes / 1e6 / (nanos / 1e9));
    }

    /** One failed attempt, and whether trying the same mirror again may help. */
    private static final class AttemptFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean retryable;

        AttemptFailure(String message, boolean retryable) {
            super(message, null, false, false);
            this.retryable = retryable;
        }
    }

    /** Every mirror failed; each failure is described. */
    static final class DownloadFailedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> failures;

        DownloadFailedException(List<String> failures) {
            super(String.join("; ", failures));
            this.failures = List.copyOf(failures);
        }

        /** One line per failed attempt: the mirror and what went wrong. */
        List<String> failures() {
            return failures;
        }
    }

    /**
     * Receives the body: writes it to the partial file (appending to what an earlier attempt left when the server
     * honours the range) and hashes it as it arrives, shows progress, and refuses a response with the wrong status
     * or size. Completes {@link #done} when the body is whole or has failed.
     */
    private static final class Sink implements Flow.Subscriber<List<ByteBuffer>> {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final FileChannel part;
        private final long offset;
        private final MessageDigest digest = Checksums.newDigest();
        private final long expectedSize;
        private final String name;
        private final URI uri;
        private final long progressStep;
        private final boolean bar;
        private FileChannel out;
        private ProgressBar progressBar;
        private Flow.Subscription subscription;
        private long started;
        volatile long startBytes;
        private long total = -1;
        private long nextReport;
        private volatile long lastProgress;
        private volatile boolean subscribed;
        private boolean closed;
        volatile boolean accepted;
        volatile long received;
        volatile String sha256;
        volatile AttemptFailure rejection;

        Sink(FileChannel part, long offset, long expectedSize, String name, URI uri, long progressStep, boolean bar) {
            this.part = part;
            this.offset = offset;
            this.expectedSize = expectedSize;
            this.name = name;
            this.uri = uri;
            this.progressStep = progressStep;
            this.bar = bar;
            this.lastProgress = System.nanoTime();
        }

        /** Whether to receive this response's body; if not, records why. */
        synchronized boolean accepts(HttpResponse.ResponseInfo info) {
            int status = info.statusCode();
            long start = 0;
            if (status == 206 && offset > 0) {
                long[] range = contentRange(info.headers().firstValue("Content-Range").orElse(""));
                if (range == null || range[0] != offset) {
                    rejection = new AttemptFailure("the server answered the range request from byte " + offset
                            + " with Content-Range '" + info.headers().firstValue("Content-Range").orElse("")
                            + "'", true);
                    return false;
                }
                start = offset;
            } else if (status != 200) {
                boolean transientStatus = status == 408 || status == 416 || status == 429 || status >= 500;
                rejection = new AttemptFailure("HTTP status " + status, transientStatus);
                return false;
            }
            OptionalLong announced = info.headers().firstValueAsLong("Content-Length");
            if (expectedSize >= 0 && announced.isPresent() && start + announced.getAsLong() != expectedSize) {
                rejection = new AttemptFailure("the server announces " + (start + announced.getAsLong())
                        + " bytes, but the file has " + expectedSize + " bytes", false);
                return false;
            }
            try {
                out = part;
                out.truncate(start);
                out.position(start);
                if (start > 0) {
                    hashPrefix(start);
                }
            } catch (IOException e) {
                rejection = new AttemptFailure("cannot write the partial file of " + name + ": " + e, false);
                return false;
            }
            received = start;
            startBytes = start;
            total = expectedSize >= 0 ? expectedSize : announced.isPresent() ? start + announced.getAsLong() : -1;
            nextReport = start + progressStep;
            accepted = true;
            LOG.info("Downloading {} ({}) from {}{}", name, total >= 0 ? megabytes(total) : "size unknown", uri,
                    start > 0 ? ", resuming at " + megabytes(start) : "");
            if (bar) {
                progressBar = new ProgressBarBuilder().setTaskName(name).setInitialMax(Math.max(total, 0))
                        .setUnit(" MB", 1_000_000).showSpeed(new java.text.DecimalFormat("0.0"))
                        .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS).setStyle(ProgressBarStyle.ASCII)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
                progressBar.stepTo(start);
            }
            return true;
        }

        private void hashPrefix(long length) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            long left = length;
            out.position(0);
            while (left > 0) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), left));
                int n = out.read(buffer);
                if (n < 0) {
                    throw new IOException("the partial file is shorter than " + length + " bytes");
                }
                buffer.flip();
                digest.update(buffer);
                left -= n;
            }
            out.position(length);
        }

        /** {@code [first, last, total]} of a {@code Content-Range: bytes first-last/total} header; null if invalid. */
        static long[] contentRange(String header) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)")
                    .matcher(header.strip());
            if (!m.matches()) {
                return null;
            }
            return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3))};
        }

        /** Nanoseconds since data last arrived; 0 until the body starts. */
        long idleNanos() {
            return subscribed ? System.nanoTime() - lastProgress : 0;
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            if (closed) {
                s.cancel();
                return;
            }
            subscription = s;
            started = System.nanoTime();
            lastProgress = started;
            subscribed = true;
            s.request(1);
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> buffers) {
            if (closed) {
                return;
            }
            try {
                long count = received;
                for (ByteBuffer buffer : buffers) {
                    int n = buffer.remaining();
                    if (expectedSize >= 0 && count + n > expectedSize) {
                        fail(new AttemptFailure("the server sent more than the expected " + expectedSize + " bytes",
                                false));
                        return;
                    }
                    digest.update(buffer.duplicate());
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    count += n;
                }
                received = count;
                lastProgress = System.nanoTime();
                if (progressBar != null) {
                    progressBar.stepTo(count);
                } else if (count >= nextReport) {
                    nextReport = count + progressStep;
                    LOG.info("  {}{} ({})", megabytes(count),
                            total > 0 ? String.format(Locale.ROOT, " of %s (%.0f%%)", megabytes(total),
                                    100.0 * count / total) : "",
                            rate(count - startBytes, lastProgress - started));
                }
                subscription.request(1);
            } catch (IOException e) {
                fail(e);
            }
        }

        @Override
        public synchronized void onError(Throwable error) {
            if (!closed) {
                closed = true;
                closeQuietly();
                done.completeExceptionally(error);
            }
        }

        @Override
        public synchronized void onComplete() {
            if (closed) {
                return;
            }
            try {
                out.force(true);
                closed = true;
                closeBar();
                sha256 = Checksums.hex(digest.digest());
                long nanos = System.nanoTime() - started;
                LOG.info("Received {} from {} in {} ({})", megabytes(received - startBytes), uri.getHost(),
                        String.format(Locale.ROOT, "%.1f s", nanos / 1e9), rate(received - startBytes, nanos));
                done.complete(null);
            } catch (IOException e) {
                fail(e);
            }
        }

        /** Stops receiving and closes the file, however the download ended. */
        synchronized void close() {
            if (!closed) {
                fail(new AttemptFailure("abandoned", true));
            }
            closeBar();
        }

        private void fail(Exception cause) {
            closed = true;
            if (subscription != null) {
                subscription.cancel();
            }
            closeQuietly();
            done.completeExceptionally(cause);
        }

        private void closeBar() {
            if (progressBar != null) {
                progressBar.close();
                progressBar = null;
            }
        }

        /** Stops the progress bar; the partial file's channel stays open for the next attempt (its owner closes it). */
        private void closeQuietly() {
            closeBar();
        }
    }
}
