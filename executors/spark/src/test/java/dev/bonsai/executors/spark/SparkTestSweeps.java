package dev.bonsai.executors.spark;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.executor.PlacementFree;
import dev.bonsai.experiments.run.ExperimentRunner;
import dev.bonsai.experiments.run.LogProgress;
import dev.bonsai.experiments.run.RunOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/** Small sweeps on a synthetic CSV table, run with any executor, for the Spark tests. */
final class SparkTestSweeps {
    static final Bonsai BONSAI = Bonsai.create();

    private SparkTestSweeps() {
    }

    /** Two classes split by a fixed hyperplane, 8 features, {@code rows} rows; returns the file. */
    static Path table(Path dir, int rows) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder csv = new StringBuilder("f0,f1,f2,f3,f4,f5,f6,f7,label\n");
        for (int i = 0; i < rows; i++) {
            double dot = 0;
            for (int f = 0; f < 8; f++) {
                double x = random.nextGaussian();
                dot += x * (f % 2 == 0 ? 1 : -0.5);
                csv.append(String.format(java.util.Locale.ROOT, "%.5f,", x));
            }
            csv.append(dot > 0 ? 1 : 0).append('\n');
        }
        Path file = dir.resolve("table.csv");
        Files.writeString(file, csv);
        return file;
    }

    /** A sweep of 2 seeds × 2 strategies × {@code sparsities} on the table, with {@code extra} YAML appended. */
    static String descriptor(Path table, String sparsities, String extra) {
        return """
                name: spark-sweep
                seeds: [1, 2]
                engine: {id: djl, device: cpu}
                dataset: {id: csv, file: '%s'}
                model: {id: mlp, hidden: [16]}
                train: {optimizer: {id: sgd, lr: 0.1}, epochs: 2, batch: 32}
                prune:
                  strategies: [magnitude, random]
                  sparsities: %s
                  finetune: {epochs: 1}
                report: [csv]
                """.formatted(table.toAbsolutePath(), sparsities) + extra;
    }

    static ExperimentRunner.RunSummary run(Path dir, String yaml) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("sweep.yaml");
        Files.writeString(file, yaml);
        ExperimentDescriptor d = BONSAI.read(file, List.of());
        return BONSAI.run(d, new RunOptions(file, dir.resolve("out"), Optional.empty(), true, List.of()),
                new LogProgress());
    }

    static List<TrialRecord> placementFree(List<TrialRecord> records) {
        return records.stream().map(PlacementFree::of).sorted(Comparator.comparing(TrialRecord::trialId)).toList();
    }

    /** The Spark home the tests' workers use: an empty {@code jars/}, since every jar comes from the class path. */
    static Path sparkHome() throws IOException {
        Path home = Path.of(System.getProperty("spark.home.dir", "target/spark-home"));
        Files.createDirectories(home.resolve("jars"));
        return home;
    }
}
