package dev.bonsai.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Native memory over 1,000 Hessian-vector products on djl stays flat. A double backward that leaves
 * graph-carrying gradients in the parameters makes a parameter → gradient → graph → parameter reference cycle that
 * PyTorch never frees: on this model about 1.5 MB a call, so 1,000 products would add about a gigabyte.
 *
 * <p>The products run in a JVM of their own ({@link HessianVectorMemoryRun}) so that the resident size measures
 * native memory: its heap is fixed and touched up front, and only the C1 compiler runs (the C2 compiler's own
 * native memory grows by tens of megabytes while it warms up, and would hide a small leak or fake one).
 */
class DjlHessianVectorMemoryTest {
    private static final int WARM_UP = 200;
    private static final int PRODUCTS = 1_000;
    /** The growth allowed over {@link #PRODUCTS} products: allocator noise, far below a leak of ~1 MB a product. */
    private static final long ALLOWED_BYTES = 4L << 20;

    /**
     * Catches: native memory that grows with every Hessian-vector product (single products and batches of products
     * on one graph), which makes long OBD and Hutchinson runs run out of memory; and products that drift over many
     * calls (the last must equal the first).
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void nativeMemoryStaysFlatOverAThousandProducts() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xms96m", "-Xmx96m", "-XX:+AlwaysPreTouch",
                "-XX:TieredStopAtLevel=1", "-Dlog4j2.level=WARN", "-cp", System.getProperty("java.class.path"),
                HessianVectorMemoryRun.class.getName(), String.valueOf(WARM_UP), String.valueOf(PRODUCTS));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("the measuring JVM finished").isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("exit status of the measuring JVM; its output: %s", output).isZero();
        List<String> fields = List.of(output.substring(output.lastIndexOf('\n') + 1).split(" "));
        assertThat(fields).as("the measuring JVM's last line: %s", output).hasSize(3);
        long before = Long.parseLong(fields.get(0));
        long after = Long.parseLong(fields.get(1));
        double drift = Double.parseDouble(fields.get(2));
        assertThat(after - before).as("resident bytes gained over %d products (%d MB -> %d MB)", PRODUCTS,
                before >> 20, after >> 20).isLessThan(ALLOWED_BYTES);
        assertThat(drift).as("largest difference between the last product and the first").isLessThan(1e-5);
    }
}
