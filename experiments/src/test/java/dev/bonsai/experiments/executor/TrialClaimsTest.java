package dev.bonsai.experiments.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.report.TrialRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims on an output folder's trials: refused while another run holds them (in this JVM or in another process),
 * free again when released or when the holding process is killed, and refused for trials recorded meanwhile.
 */
class TrialClaimsTest {
    private static final TrialClaims.RecordedElsewhere NONE = id -> false;

    private static PlannedTrial trial(String id) {
        return new PlannedTrial(id, 0, 1, "magnitude", 0.5, "djl:cpu", "cpu", Resources.DEFAULT);
    }

    private static TrialRecord record(String id) {
        return new TrialRecord("e", id, TrialRecord.OK, null, "mlp", "synthetic", "magnitude", "global",
                "unstructured", "one-shot", 0.5, 0.5, 100, 50, 1, "djl", "cpu", Map.of(), Map.of(), Map.of());
    }

    @Test
    void aTrialHeldByOneRunInThisJvmIsRefusedToAnotherUntilReleased(@TempDir Path out) throws Exception {
        TrialClaims first = new TrialClaims(out, NONE);
        TrialClaims second = new TrialClaims(out, NONE);
        Optional<TrialClaims.Claim> held = first.claim("a1");
        assertThat(held).isPresent();
        assertThat(held.get().trialId()).isEqualTo("a1");
        assertThat(out.resolve(TrialClaims.FOLDER).resolve("a1")).exists();

        assertThat(second.claim("a1")).isEmpty();
        assertThat(first.claim("a1")).as("not even to the run holding it").isEmpty();
        assertThat(second.isFree("a1")).isFalse();
        assertThat(second.holder("a1")).startsWith("process " + ProcessHandle.current().pid() + " on ")
                .as("the first line only").doesNotContain("\n", "claimed at");
        assertThat(second.takeHeldElsewhere()).containsExactly("a1");
        assertThat(second.takeHeldElsewhere()).as("taken once").isEmpty();
        assertThat(second.recordedElsewhere()).isEmpty();

        held.get().close();
        held.get().close(); // twice is harmless
        assertThat(second.isFree("a1")).isTrue();
        Optional<TrialClaims.Claim> again = second.claim("a1");
        assertThat(again).isPresent();
        again.get().close();
    }

    @Test
    void aTrialRecordedByAnotherRunMeanwhileIsNotClaimedAndIsRemembered(@TempDir Path out) throws Exception {
        TrialClaims claims = new TrialClaims(out, id -> id.equals("b2"));
        assertThat(claims.claim("b2")).isEmpty();
        assertThat(claims.recordedElsewhere()).containsExactly("b2");
        assertThat(claims.takeHeldElsewhere()).as("it was not held, it is done").isEmpty();
        assertThat(claims.isFree("b2")).as("the refused claim was released").isTrue();
        Optional<TrialClaims.Claim> other = claims.claim("c3");
        assertThat(other).isPresent();
        other.get().close();
    }

    @Test
    void aBatchHoldsWhatItCouldClaimAndReleasesEachTrialOnceItsRecordIsAppended(@TempDir Path out)
            throws Exception {
        TrialClaims mine = new TrialClaims(out, NONE);
        TrialClaims other = new TrialClaims(out, NONE);
        Optional<TrialClaims.Claim> taken = other.claim("d2");
        List<TrialRecord> appended = new ArrayList<>();
        try (TrialClaims.Batch batch = mine.claimAll(List.of(trial("d1"), trial("d2"), trial("d3")))) {
            assertThat(batch.trials()).extracting(PlannedTrial::id).containsExactly("d1", "d3");
            assertThat(mine.takeHeldElsewhere()).containsExactly("d2");
            RecordSink sink = batch.releasing(appended::add);
            sink.accept(record("d1"));
            assertThat(appended).extracting(TrialRecord::trialId).containsExactly("d1");
            assertThat(other.isFree("d1")).as("released after its record").isTrue();
            assertThat(other.isFree("d3")).as("still held").isFalse();
        }
        assertThat(other.isFree("d3")).as("released with the batch").isTrue();
        taken.orElseThrow().close();
    }

    @Test
    void aClaimOfAnotherProcessIsRefusedAndFreedWhenThatProcessIsKilled(@TempDir Path out) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ClaimHolder.class.getName(), out.toString(), "e5").redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("held e5");
            TrialClaims claims = new TrialClaims(out, NONE);
            assertThat(claims.claim("e5")).isEmpty();
            assertThat(claims.takeHeldElsewhere()).containsExactly("e5");
            assertThat(claims.holder("e5")).startsWith("process " + holder.pid() + " on ");
            assertThat(claims.isFree("e5")).isFalse();

            holder.destroyForcibly(); // SIGKILL: the process releases nothing itself
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Optional<TrialClaims.Claim> claim = claims.claim("e5");
            assertThat(claim).as("the operating system released the killed process's lock").isPresent();
            claim.get().close();
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aTrialIdThatCannotNameAFileIsRefused(@TempDir Path out) {
        TrialClaims claims = new TrialClaims(out, NONE);
        assertThatThrownBy(() -> claims.claim("../x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'../x'");
    }

    /** Claims a trial in its own process, says so, and holds it until killed. */
    public static final class ClaimHolder {
        private ClaimHolder() {
        }

        /** {@code OUT TRIAL}. */
        public static void main(String[] args) throws Exception {
            Optional<TrialClaims.Claim> claim = new TrialClaims(Path.of(args[0]), id -> false).claim(args[1]);
            System.out.println(claim.isPresent() ? "held " + args[1] : "refused " + args[1]);
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }
}
