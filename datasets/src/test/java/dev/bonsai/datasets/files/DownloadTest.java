package dev.bonsai.datasets.files;

import static dev.bonsai.datasets.files.TestData.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.DataFile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from an HTTP server on the loopback interface, into a temporary cache. */
@Timeout(60)
class DownloadTest {
    /**
     * How long a download may receive nothing before it gives up on the connection: long enough that a loaded CI
     * machine does not stall a healthy transfer (0.4 s did, and the test then saw a retry), short enough that the
     * dropped connections served below end the tests quickly.
     */
    private static final Duration STALL = Duration.ofSeconds(2);

    private static final byte[] CONTENT = new byte[300_000];

    static {
        new Random(42).nextBytes(CONTENT);
    }

    @TempDir
    Path tmp;

    private Path cache;
    private HttpServer server;
    private ExecutorService executor;
    private final CountDownLatch release = new CountDownLatch(1);
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final List<String> ranges = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger served = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        cache = tmp.resolve("cache");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/good/", exchange -> respond(exchange, 200, CONTENT));
        server.createContext("/wrong/", exchange -> {
            byte[] wrong = CONTENT.clone();
            wrong[1234] ^= 1;
            respond(exchange, 200, wrong);
        });
        server.createContext("/missing/", exchange -> respond(exchange, 404, new byte[0]));
        AtomicInteger flaky = new AtomicInteger();
        server.createContext("/flaky/", exchange -> {
            if (flaky.getAndIncrement() == 0) {
                respond(exchange, 503, new byte[0]);
            } else {
                respond(exchange, 200, CONTENT);
            }
        });
        AtomicInteger ranged = new AtomicInteger();
        server.createContext("/ranged/", exchange -> {
            count(exchange);
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            if (range == null) {
                // the first response announces the whole file, sends half of it and drops the connection
                exchange.sendResponseHeaders(200, CONTENT.length);
                OutputStream out = exchange.getResponseBody();
                out.write(CONTENT, 0, CONTENT.length / 2);
                out.flush();
                ranged.incrementAndGet();
                exchange.close();
                return;
            }
            int from = Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
            exchange.getResponseHeaders().add("Content-Range",
                    "bytes " + from + "-" + (CONTENT.length - 1) + "/" + CONTENT.length);
            exchange.sendResponseHeaders(206, CONTENT.length - from);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(CONTENT, from, CONTENT.length - from);
                served.addAndGet(CONTENT.length - from);
            }
        });
        AtomicInteger choppy = new AtomicInteger();
        server.createContext("/choppy/", exchange -> {
            count(exchange);
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            int call = choppy.getAndIncrement();
            if (call == 0) { // half, then the connection drops
                exchange.sendResponseHeaders(200, CONTENT.length);
                OutputStream out = exchange.getResponseBody();
                out.write(CONTENT, 0, CONTENT.length / 2);
                out.flush();
                exchange.close();
            } else if (call == 1) { // a transient server error
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
            } else {
                int from = Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
                exchange.getResponseHeaders().add("Content-Range",
                        "bytes " + from + "-" + (CONTENT.length - 1) + "/" + CONTENT.length);
                exchange.sendResponseHeaders(206, CONTENT.length - from);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(CONTENT, from, CONTENT.length - from);
                }
            }
        });
        server.createContext("/stall/", exchange -> {
            count(exchange);
            exchange.sendResponseHeaders(200, CONTENT.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(CONTENT, 0, CONTENT.length / 2);
                out.flush();
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException | IOException e) {
                // the client gave up: expected
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void count(HttpExchange exchange) {
        String prefix = exchange.getRequestURI().getPath().split("/")[1];
        requests.computeIfAbsent(prefix, p -> new AtomicInteger()).incrementAndGet();
    }

    private void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        count(exchange);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private URI mirror(String kind) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + kind + "/data.bin");
    }

    private int requestsTo(String kind) {
        return requests.getOrDefault(kind, new AtomicInteger()).get();
    }

    private DataFileResolver resolver() {
        DataLocations locations = new DataLocations(Optional.empty(), Optional.empty(), Optional.empty(), cache, false);
        return new DataFileResolver(locations,
                new Downloader(2, Duration.ofMillis(10), Duration.ofSeconds(10), STALL, 100_000));
    }

    private List<Path> cacheFiles() throws IOException {
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void downloadsVerifiesAndPlacesTheFileThenUsesTheCache() throws IOException {
        DataFile file = TestData.file("data.bin", CONTENT, mirror("good"));
        DataFileResolver resolver = resolver();

        Path path = resolver.resolve("ds", file);

        assertThat(path).isEqualTo(cache.resolve("ds").resolve("data.bin"));
        assertThat(Files.readAllBytes(path)).isEqualTo(CONTENT);
        assertThat(cacheFiles()).containsExactly(path); // no partial file left beside it
        assertThat(requestsTo("good")).isEqualTo(1);

        long hashed = Checksums.hashedFiles();
        assertThat(resolver.resolve("ds", file)).isEqualTo(path);
        assertThat(requestsTo("good")).isEqualTo(1);
        assertThat(Checksums.hashedFiles()).isEqualTo(hashed); // verified while downloading, not hashed again
    }

    @Test
    void wrongBytesLeaveNoFileAndNameTheChecksums() throws IOException {
        byte[] wrong = CONTENT.clone();
        wrong[1234] ^= 1;
        DataFile file = TestData.file("data.bin", CONTENT, mirror("wrong"));

        assertThatThrownBy(() -> resolver().resolve("ds", file))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining("ds/data.bin was not found")
                .hasMessageContaining(mirror("wrong").toString())
                .hasMessageContaining("SHA-256 " + sha256(wrong))
                .hasMessageContaining("expected SHA-256 is " + sha256(CONTENT))
                .hasMessageContaining("Looked in:");
        assertThat(cache.resolve("ds/data.bin")).doesNotExist();
        assertThat(cacheFiles()).isEmpty();
        assertThat(requestsTo("wrong")).isEqualTo(1); // a checksum mismatch is not retried on the same mirror
    }

    @Test
    void mirrorsAreTriedInOrder() throws IOException {
        DataFile file = TestData.file("data.bin", CONTENT, mirror("missing"), mirror("wrong"), mirror("good"));

        Path path = resolver().resolve("ds", file);

        assertThat(Files.readAllBytes(path)).isEqualTo(CONTENT);
        assertThat(requestsTo("missing")).isEqualTo(1);
        assertThat(requestsTo("wrong")).isEqualTo(1);
        assertThat(requestsTo("good")).isEqualTo(1);
        assertThat(cacheFiles()).containsExactly(path);
    }

    @Test
    void transientFailuresAreRetried() throws IOException {
        DataFile file = TestData.file("data.bin", CONTENT, mirror("flaky"));

        Path path = resolver().resolve("ds", file);

        assertThat(Files.readAllBytes(path)).isEqualTo(CONTENT);
        assertThat(requestsTo("flaky")).isEqualTo(2);
    }

    @Test
    void aStalledDownloadIsAbandonedWithoutLeavingAFile() throws IOException {
        DataFile file = TestData.file("data.bin", CONTENT, mirror("stall"), mirror("good"));

        Path path = resolver().resolve("ds", file);

        assertThat(Files.readAllBytes(path)).isEqualTo(CONTENT);
        assertThat(requestsTo("stall")).isEqualTo(2);
        assertThat(cacheFiles()).containsExactly(path);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void everyMirrorFailingListsEachFailure() throws IOException {
        DataFile file = TestData.file("data.bin", CONTENT, mirror("missing"), mirror("stall"));

        assertThatThrownBy(() -> resolver().resolve("ds", file))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(mirror("missing") + " (attempt 1): HTTP status 404")
                .hasMessageContaining(mirror("stall") + " (attempt 2): no data arrived");
        // the half that arrived is kept for the next run, beside the target and never under its name
        assertThat(cacheFiles()).containsExactly(cache.resolve("ds/data.bin.part"));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    private DataFileResolver resolverWith(int attempts) {
        DataLocations locations = new DataLocations(Optional.empty(), Optional.empty(), Optional.empty(), cache, false);
        return new DataFileResolver(locations, new Downloader(attempts, Duration.ofMillis(10), Duration.ofSeconds(10),
                STALL, 100_000));
    }

    @Test
    void aDownloadBrokenOffInAnEarlierRunIsResumedByTheNextRun() throws IOException {
        DataFile file = TestData.file("data.bin", CONTENT, mirror("ranged"));
        // the first run gets half of the file, then the connection drops and it has no attempt left
        assertThatThrownBy(() -> resolverWith(1).resolve("ds", file)).isInstanceOf(BonsaiException.class);
        Path part = cache.resolve("ds/data.bin.part");
        assertThat(cacheFiles()).containsExactly(part);
        long kept = Files.size(part);
        assertThat(kept).isPositive().isLessThanOrEqualTo(CONTENT.length / 2);
        assertThat(Files.readAllBytes(part)).isEqualTo(java.util.Arrays.copyOf(CONTENT, (int) kept));

        // a new downloader, as in a later process, asks for the rest only and verifies the whole
        Path path = resolverWith(1).resolve("ds", file);

        assertThat(Files.readAllBytes(path)).isEqualTo(CONTENT);
        assertThat(ranges).containsExactly("null", "bytes=" + kept + "-");
        assertThat(served.get()).isEqualTo(CONTENT.length - kept);
        assertThat(cacheFiles()).containsExactly(path);
    }

    @Test
    void anEarlierRunsPartialFileIsStartedAgainWhenTheServerIgnoresRanges() throws IOException {
        DataFile file = TestData.file("data.bin", CONTENT, mirror("good"));
        Files.createDirectories(cache.resolve("ds"));
        Files.write(cache.resolve("ds/data.bin.part"), java.util.Arrays.copyOf(CONTENT, 1000));

        Path path = resolverWith(1).resolve("ds", file); // /good/ answers 200 with the whole file to a range request

        assertThat(Files.readAllBytes(path)).isEqualTo(CONTENT);
        assertThat(requestsTo("good")).isEqualTo(1);
        assertThat(cacheFiles()).containsExactly(path);
    }

    @Test
    void anEarlierRunsPartialFileThatDoesNotBelongToTheFileIsDownloadedAgainWhole() throws IOException {
        DataFile file = TestData.file("data.bin", CONTENT, mirror("ranged"));
        Files.createDirectories(cache.resolve("ds"));
        byte[] foreign = new byte[1000];
        java.util.Arrays.fill(foreign, (byte) 7);
        Files.write(cache.resolve("ds/data.bin.part"), foreign);

        // attempt 1 resumes at byte 1000 and fails the checksum, attempt 2 starts over and breaks off half-way,
        // attempt 3 resumes that half
        Path path = resolverWith(3).resolve("ds", file);

        assertThat(Files.readAllBytes(path)).isEqualTo(CONTENT);
        assertThat(ranges).hasSize(3);
        assertThat(ranges.get(0)).isEqualTo("bytes=1000-");
        assertThat(ranges.get(1)).isEqualTo("null");
        assertThat(ranges.get(2)).startsWith("bytes=");
        assertThat(cacheFiles()).containsExactly(path);
    }

    @Test
    void aPartialFileAnotherDownloadHoldsIsLeftAloneAndThisOneUsesItsOwn() throws IOException {
        DataFile file = TestData.file("data.bin", CONTENT, mirror("good"));
        Files.createDirectories(cache.resolve("ds"));
        Path part = cache.resolve("ds/data.bin.part");
        Files.write(part, java.util.Arrays.copyOf(CONTENT, 1000));
        try (java.nio.channels.FileChannel other = java.nio.channels.FileChannel.open(part,
                java.nio.file.StandardOpenOption.WRITE); var lock = other.lock()) {
            assertThat(lock.isValid()).isTrue();
            Path path = resolverWith(1).resolve("ds", file);

            assertThat(Files.readAllBytes(path)).isEqualTo(CONTENT);
            assertThat(lock.isValid()).isTrue();
            assertThat(Files.readAllBytes(part)).isEqualTo(java.util.Arrays.copyOf(CONTENT, 1000));
            assertThat(cacheFiles()).containsExactlyInAnyOrder(path, part);
        }
    }

    @Test
    void aDroppedConnectionIsResumedWithARangeRequest() throws IOException {
        DataFile file = TestData.file("data.bin", CONTENT, mirror("ranged"));

        Path path = resolver().resolve("ds", file);

        assertThat(Files.readAllBytes(path)).isEqualTo(CONTENT);
        assertThat(requestsTo("ranged")).isEqualTo(2);
        assertThat(ranges.get(0)).isEqualTo("null");
        assertThat(ranges.get(1)).matches("bytes=\\d+-");
        int from = Integer.parseInt(ranges.get(1).replace("bytes=", "").replace("-", ""));
        assertThat(from).isPositive().isLessThanOrEqualTo(CONTENT.length / 2);
        assertThat(served.get()).isEqualTo(CONTENT.length - from); // only the rest was sent again
        assertThat(cacheFiles()).containsExactly(path);
    }

    @Test
    void bytesReceivedSurviveARefusedAttemptAndAreResumedLater() throws IOException {
        DataFile file = TestData.file("data.bin", CONTENT, mirror("choppy"));
        DataLocations locations = new DataLocations(Optional.empty(), Optional.empty(), Optional.empty(), cache, false);
        DataFileResolver resolver = new DataFileResolver(locations,
                new Downloader(3, Duration.ofMillis(10), Duration.ofSeconds(10), STALL, 100_000));

        Path path = resolver.resolve("ds", file);

        assertThat(Files.readAllBytes(path)).isEqualTo(CONTENT);
        assertThat(requestsTo("choppy")).isEqualTo(3);
        assertThat(ranges.get(1)).isEqualTo(ranges.get(2)).startsWith("bytes=");
        assertThat(cacheFiles()).containsExactly(path);
    }

    @Test
    void aServerThatIgnoresRangesIsDownloadedAgainFromTheStart() throws IOException {
        DataFile file = TestData.file("data.bin", CONTENT, mirror("stall"), mirror("good"));

        Path path = resolver().resolve("ds", file);

        assertThat(Files.readAllBytes(path)).isEqualTo(CONTENT); // /good/ answers 200 to the range request
        assertThat(cacheFiles()).containsExactly(path);
    }

    @Test
    void aProgressBarCanBeShownWhileDownloadingAndResuming() throws IOException {
        DataFile file = TestData.file("data.bin", CONTENT, mirror("ranged"));
        DataLocations locations = new DataLocations(Optional.empty(), Optional.empty(), Optional.empty(), cache, false);
        DataFileResolver resolver = new DataFileResolver(locations, new Downloader(2, Duration.ofMillis(10),
                Duration.ofSeconds(10), STALL, 100_000).withProgressBars(true));

        Path path = resolver.resolve("ds", file);

        assertThat(Files.readAllBytes(path)).isEqualTo(CONTENT);
        assertThat(cacheFiles()).containsExactly(path);
    }

    @Test
    void offlineNeverDownloads() {
        DataFile file = TestData.file("data.bin", CONTENT, mirror("good"));
        DataLocations offline = new DataLocations(Optional.empty(), Optional.empty(), Optional.empty(), cache, true);

        assertThatThrownBy(() -> new DataFileResolver(offline).resolve("ds", file))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining("downloads are off");
        assertThat(requestsTo("good")).isZero();
    }
}
