package dev.bonsai.executors.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a standalone cluster can tell about a failed run, read from the master's and the workers' web UIs: the
 * workers with their cores, memory and resources, and the end of the error log of executors of the application.
 */
final class ClusterDiagnostics {
    private static final int LOG_BYTES = 3000;
    private static final int MAX_EXECUTORS = 8;
    private final String masterUi;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    ClusterDiagnostics(String masterUi) {
        this.masterUi = masterUi.endsWith("/") ? masterUi.substring(0, masterUi.length() - 1) : masterUi;
    }

    /** {@code spark://host:7077} → {@code http://host:8080}. */
    static String defaultUi(String master) {
        String hostPort = master.substring("spark://".length()).split(",")[0];
        int colon = hostPort.lastIndexOf(':');
        return "http://" + (colon < 0 ? hostPort : hostPort.substring(0, colon)) + ":8080";
    }

    /** The alive workers and their resources, or why they could not be read. */
    String workers() {
        Optional<JsonNode> state = master();
        if (state.isEmpty()) {
            return "the workers' resources could not be read from " + masterUi + "/json/ (set executor.master_ui)";
        }
        List<String> out = new ArrayList<>();
        for (JsonNode w : state.get().path("workers")) {
            if (!"ALIVE".equals(w.path("state").asText())) {
                continue;
            }
            out.add(w.path("id").asText() + " at " + w.path("host").asText() + ": " + w.path("cores").asInt()
                    + " cores (" + w.path("coresfree").asInt(w.path("cores").asInt() - w.path("coresused").asInt())
                    + " free), " + w.path("memory").asInt() + " MB (" + w.path("memoryfree").asInt(
                    w.path("memory").asInt() - w.path("memoryused").asInt()) + " MB free), resources "
                    + resources(w.path("resources")));
        }
        return out.isEmpty() ? "the master at " + masterUi + " has no alive worker"
                : "the workers have: " + String.join("; ", out);
    }

    /** The end of the stderr of the application's first executors that wrote an error, if a worker shows one. */
    Optional<String> executorErrors(String appId) {
        Optional<JsonNode> state = master();
        if (state.isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode w : state.get().path("workers")) {
            String ui = w.path("webuiaddress").asText();
            if (ui.isEmpty()) {
                continue;
            }
            for (int executor = 0; executor < MAX_EXECUTORS; executor++) {
                Optional<String> log = get(ui + "/log/?appId=" + URLEncoder.encode(appId, StandardCharsets.UTF_8)
                        + "&executorId=" + executor + "&logType=stderr&byteLength=" + LOG_BYTES);
                if (log.isPresent() && isError(log.get())) {
                    return Optional.of("stderr of executor " + executor + " on " + w.path("host").asText() + ":\n"
                            + log.get().strip());
                }
            }
        }
        return Optional.empty();
    }

    /** Whether a worker's answer is a log with an error in it (not the worker saying it has no such log). */
    private static boolean isError(String log) {
        return !log.contains("invalid log directory") && (log.contains("Error") || log.contains("Exception"));
    }

    private static String resources(JsonNode resources) {
        if (!resources.isObject() || resources.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : resources.properties()) {
            List<String> addresses = new ArrayList<>();
            e.getValue().path("addresses").forEach(a -> addresses.add(a.asText()));
            parts.add(e.getKey() + " " + addresses);
        }
        return String.join(", ", parts);
    }

    private Optional<JsonNode> master() {
        return get(masterUi + "/json/").flatMap(text -> {
            try {
                return Optional.of(new ObjectMapper().readTree(text));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    private Optional<String> get(String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
