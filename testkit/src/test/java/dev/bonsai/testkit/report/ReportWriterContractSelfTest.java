package dev.bonsai.testkit.report;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.report.ReportWriter;
import dev.bonsai.api.report.TrialRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;

/** The report-writer contract, run on a minimal writer. */
class ReportWriterContractSelfTest extends ReportWriterContract<NoOptions> {

    @Override
    protected ReportWriter<NoOptions> writer() {
        return new ReportWriter<>() {
            @Override
            public String id() {
                return "ids";
            }

            @Override
            public String description() {
                return "ids.txt: one trial id per line";
            }

            @Override
            public Class<NoOptions> optionsType() {
                return NoOptions.class;
            }

            @Override
            public int spiVersion() {
                return Spi.VERSION;
            }

            @Override
            public List<Path> write(List<TrialRecord> records, Path outDir, NoOptions options) throws IOException {
                Path tmp = Files.createTempFile(outDir, "ids", ".tmp");
                Files.writeString(tmp, records.stream().map(TrialRecord::trialId).collect(Collectors.joining("\n")));
                Path target = outDir.resolve("ids.txt");
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return List.of(target);
            }
        };
    }
}
