package dev.bonsai.executors.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on loopback, started from the Maven class path (no Spark distribution): one master
 * and workers, each its own JVM; {@link #close()} stops them.
 */
final class StandaloneCluster implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final Path dir;
    final int masterPort;
    final int masterUiPort;

    /** Starts the master. */
    StandaloneCluster(Path dir) throws IOException {
        this.dir = dir;
        this.masterPort = freePort();
        this.masterUiPort = freePort();
        start("master", List.of(), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(masterPort), "--webui-port", Integer.toString(masterUiPort));
    }

    String master() {
        return "spark://127.0.0.1:" + masterPort;
    }

    String masterUi() {
        return "http://127.0.0.1:" + masterUiPort;
    }

    /**
     * Starts a worker with {@code cores} cores and 1 GB, its work folder {@code DIR/name}; {@code gpus} fake GPU
     * addresses (0, 1, …) reported by a discovery script when positive.
     */
    Path worker(String name, int cores, int gpus) throws IOException {
        Path work = Files.createDirectories(dir.resolve(name));
        List<String> props = new ArrayList<>();
        if (gpus > 0) {
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < gpus; i++) {
                addresses.add("\"" + i + "\"");
            }
            Path script = dir.resolve(name + "-gpus.sh");
            Files.writeString(script, "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [" + String.join(", ",
                    addresses) + "]}'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            props.add("-Dspark.worker.resource.gpu.amount=" + gpus);
            props.add("-Dspark.worker.resource.gpu.discoveryScript=" + script);
        }
        start(name, props, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores",
                Integer.toString(cores), "--memory", "1g", "--work-dir", work.toString(), "--webui-port",
                Integer.toString(freePort()), master());
        return work;
    }

    /** Waits until {@code n} workers are alive at the master. */
    void awaitWorkers(int n, int seconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                String json = http.send(HttpRequest.newBuilder(URI.create(masterUi() + "/json/")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                int alive = 0;
                for (JsonNode w : new ObjectMapper().readTree(json).path("workers")) {
                    alive += "ALIVE".equals(w.path("state").asText()) ? 1 : 0;
                }
                if (alive >= n) {
                    return;
                }
            } catch (IOException e) {
                // the master is still starting
            }
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster process exited with " + p.exitValue() + "; see the "
                            + "logs in " + dir);
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(n + " workers did not register within " + seconds + " s; see the logs in " + dir);
    }

    private void start(String name, List<String> props, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path")));
        command.addAll(props);
        command.add(main);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", SparkTestSweeps.sparkHome().toAbsolutePath().toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        processes.add(builder.start());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
