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
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Downloads a {@link DataFile} from its mirrors: streamed into a temporary file beside the target, hashed while
 * streaming, and moved into place atomically only when whole and verified. Mirrors are tried in order; transient
 * failures (I/O errors, stalls, HTTP 408, 429 and 5xx) are retried with exponential back-off.
 */
final class Downloader {
    private static final Logger LOG = LogManager.getLogger(Downloader.class);
    private static final Duration STALE_PART = Duration.ofDays(1);

    private final int attemptsPerMirror;
    private final Duration backoff;
    private final Duration connectTimeout;
    private final Duration stallTimeout;
    private final long progressStep;
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
    }

    /** The settings for real downloads: 3 attempts per mirror, 2 s back-off, 60 s timeouts, progress every 4 MB. */
    static Downloader standard() {
        return new Downloader(3, Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(60), 4_000_000L);
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
        for (URI mirror : file.mirrors()) {
            for (int attempt = 1; attempt <= attemptsPerMirror; attempt++) {
                try {
                    attemptOnce(datasetId, file, mirror, target);
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

    private void attemptOnce(String datasetId, DataFile file, URI uri, Path target) throws AttemptFailure {
        Path part = null;
        Sink sink = null;
        CompletableFuture<HttpResponse<Void>> response = null;
        try {
            // created with the default permissions (not createTempFile's owner-only ones): it becomes the cached file
            part = Files.createFile(target.resolveSibling("." + target.getFileName() + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".part"));
            sink = new Sink(part, file.size(), datasetId + "/" + file.path(), uri, progressStep);
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(connectTimeout)
                    .header("User-Agent", "bonsai-datasets/" + PluginVersions.of(Downloader.class))
                    .GET()
                    .build();
            Sink body = sink;
            response = client().sendAsync(request, info -> body.accepts(info)
                    ? HttpResponse.BodySubscribers.fromSubscriber(body)
                    : HttpResponse.BodySubscribers.replacing(null));
            await(response, sink, datasetId, file, uri);
            if (sink.rejection != null) {
                throw sink.rejection;
            }
            String actual = sink.sha256;
            if (actual == null) {
                throw new AttemptFailure("the response ended without a whole body", true);
            }
            if (!actual.equalsIgnoreCase(file.sha256())) {
                throw new AttemptFailure("the server sent " + sink.received + " bytes with SHA-256 " + actual
                        + ", but the expected SHA-256 is " + file.sha256().toLowerCase(Locale.ROOT)
                        + (file.size() >= 0 ? " (" + file.size() + " bytes)" : "")
                        + "; the mirror's copy is wrong or was altered in transit", false);
            }
            moveIntoPlace(part, target);
            part = null;
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
            if (part != null) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException e) {
                    LOG.warn("Could not delete the partial download {}: {}", part, e.toString());
                }
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
     * Receives the body: writes it to the partial file and hashes it as it arrives, logs progress, and refuses a
     * response with the wrong status or size. Completes {@link #done} when the body is whole or has failed.
     */
    private static final class Sink implements Flow.Subscriber<List<ByteBuffer>> {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final FileChannel out;
        private final MessageDigest digest = Checksums.newDigest();
        private final long expectedSize;
        private final String name;
        private final URI uri;
        private final long progressStep;
        private Flow.Subscription subscription;
        private long started;
        private long total = -1;
        private long nextReport;
        private volatile long lastProgress;
        private volatile boolean subscribed;
        private boolean closed;
        volatile long received;
        volatile String sha256;
        volatile AttemptFailure rejection;

        Sink(Path part, long expectedSize, String name, URI uri, long progressStep) throws IOException {
            this.out = FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            this.expectedSize = expectedSize;
            this.name = name;
            this.uri = uri;
            this.progressStep = progressStep;
            this.nextReport = progressStep;
            this.lastProgress = System.nanoTime();
        }

        /** Whether to receive this response's body; if not, records why. */
        boolean accepts(HttpResponse.ResponseInfo info) {
            int status = info.statusCode();
            if (status != 200) {
                boolean transientStatus = status == 408 || status == 429 || status >= 500;
                rejection = new AttemptFailure("HTTP status " + status, transientStatus);
                return false;
            }
            OptionalLong announced = info.headers().firstValueAsLong("Content-Length");
            if (expectedSize >= 0 && announced.isPresent() && announced.getAsLong() != expectedSize) {
                rejection = new AttemptFailure("the server announces " + announced.getAsLong()
                        + " bytes, but the file has " + expectedSize + " bytes", false);
                return false;
            }
            total = expectedSize >= 0 ? expectedSize : announced.orElse(-1);
            LOG.info("Downloading {} ({}) from {}", name, total >= 0 ? megabytes(total) : "size unknown", uri);
            return true;
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
                if (count >= nextReport) {
                    nextReport = count + progressStep;
                    LOG.info("  {}{} ({})", megabytes(count),
                            total > 0 ? String.format(Locale.ROOT, " of %s (%.0f%%)", megabytes(total),
                                    100.0 * count / total) : "",
                            rate(count, lastProgress - started));
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
                out.close();
                closed = true;
                sha256 = Checksums.hex(digest.digest());
                long nanos = System.nanoTime() - started;
                LOG.info("Received {} from {} in {} ({})", megabytes(received), uri.getHost(),
                        String.format(Locale.ROOT, "%.1f s", nanos / 1e9), rate(received, nanos));
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
        }

        private void fail(Exception cause) {
            closed = true;
            if (subscription != null) {
                subscription.cancel();
            }
            closeQuietly();
            done.completeExceptionally(cause);
        }

        private void closeQuietly() {
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("Could not close the partial download of {}: {}", name, e.toString());
            }
        }
    }
}
