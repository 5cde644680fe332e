package dev.bonsai.reports.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bonsai.api.NoOptions;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report of a pruning comparison (three strategies, five sparsities, three seeds, two engines) in
 * headless Chromium: the page logs nothing to the console (no script errors, no failed loads), the rendered DOM
 * holds the four SVG plots, and a screenshot is written to {@code target/html-report/report.png}. Skipped where no
 * Chromium is installed.
 */
class HtmlInChromiumTest {
    @TempDir
    Path dir;

    @Test
    void rendersThePlotsWithoutConsoleErrors() throws Exception {
        Optional<String> chromium = chromium();
        assumeTrue(chromium.isPresent(), "no chromium on the PATH");
        Path shots = Path.of("target", "html-report").toAbsolutePath();
        Files.createDirectories(shots);
        Path html = new HtmlReportWriter().write(HtmlReportWriterTest.sweep(), shots, new NoOptions()).get(0);

        Run dom = run(chromium.get(), "--dump-dom", html.toUri().toString());
        assertThat(dom.stderr().lines().filter(l -> l.contains(":CONSOLE")).toList()).as("console messages")
                .isEmpty();
        assertThat(count(dom.stdout(), "<svg ")).isEqualTo(6);
        assertThat(dom.stdout()).contains("class=\"series s0\"", "class=\"band\"", "class=\"front-ring\"",
                "class=\"segment s0\"");

        Path png = shots.resolve("report.png");
        Files.deleteIfExists(png);
        run(chromium.get(), "--screenshot=" + png, "--window-size=1200,3000", html.toUri().toString());
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(20_000);
    }

    private record Run(String stdout, String stderr) {
    }

    private Run run(String chromium, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + Files.createTempDirectory(dir, "profile")));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + command);
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stderr).isZero();
        return new Run(Files.readString(out, StandardCharsets.UTF_8), stderr);
    }

    private static Optional<String> chromium() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String folder : path.split(File.pathSeparator)) {
                Path candidate = Path.of(folder, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toString());
                }
            }
        }
        return Optional.empty();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
