package dev.bonsai.experiments.run;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.executor.PlannedTrial;
import dev.bonsai.experiments.executor.Resources;
import dev.bonsai.experiments.executor.Sweep;
import dev.bonsai.experiments.executor.TrialClaims;
import dev.bonsai.experiments.executor.TrialExecutor;
import dev.bonsai.experiments.executor.TrialWork;
import dev.bonsai.experiments.plugins.EngineSettings;
import dev.bonsai.experiments.plugins.PluginRef;
import dev.bonsai.experiments.plugins.PluginRegistry;
import dev.bonsai.reports.model.Curves;
import dev.bonsai.reports.store.ResultsStore;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs one experiment: plans the sweep, hands its unfinished trials to the descriptor's
 * {@link TrialExecutor} (in this JVM by default, where a {@link SweepSession} loads the data once and trains one
 * dense model per seed), appends each trial's record as it finishes, and renders the reports from all records in
 * the output folder. Another run may share the folder: trials are claimed before they are computed
 * ({@link TrialClaims}), and a run waits for the trials the other holds ({@link SweepRounds}).
 */
public final class ExperimentRunner {
    private static final Logger LOG = LogManager.getLogger(ExperimentRunner.class);

    private final ExperimentDescriptor descriptor;
    private final RunOptions options;
    private final Provider<SweepSession> sessions;
    private final TrialOutputs outputs;

    /** A runner for one experiment, as composed by the experiment's injector. */
    @Inject
    public ExperimentRunner(ExperimentDescriptor descriptor, RunOptions options, Provider<SweepSession> sessions,
            TrialOutputs outputs) {
        this.descriptor = descriptor;
        this.options = options;
        this.sessions = sessions;
        this.outputs = outputs;
    }

    /**
     * Runs the unfinished trials and writes the reports.
     *
     * @return every record of the output folder after the run, and the reports written
     * @throws BonsaiException on errors that stop the whole experiment (data, model, engine); a failing trial is
     *                         recorded as failed instead and the sweep goes on
     */
    public RunSummary run() throws IOException {
        long started = System.nanoTime();
        Path out = options.out();
        Files.createDirectories(out);
        String resolved = Canonical.prettyJson(descriptor);
        writeAtomically(out.resolve("descriptor.resolved.json"), resolved + "\n");
        ResultsStore store = ResultsStore.in(out);
        // what other runs on this folder append from here on, so that no trial they compute is computed again
        AppendedRecords appended = AppendedRecords.from(store.file());
        Set<String> finished = store.finishedTrialIds();
        TrialClaims claims = new TrialClaims(out, appended::contains);
        PluginRef executor = descriptor.executor();
        TrialExecutor.Outcome outcome = new TrialExecutor.Outcome(0, 0);
        List<TrialSpec> trials;
        List<TrialSpec> todo;
        try (SweepSession here = sessions.get()) {
            // a sensitivity analysis has a trial per prunable layer: the session plans it from the loaded model
            trials = here.plan();
            todo = trials.stream().filter(t -> !finished.contains(t.id())).toList();
            LOG.info("experiment '{}': {} trials, {} already finished, {} to run on executor '{}'; results in {}",
                    descriptor.name(), trials.size(), trials.size() - todo.size(), todo.size(), executor.id(), out);
            if (!todo.isEmpty()) {
                TrialWork work = work(out);
                outcome = new SweepRounds(executor, claims,
                        some -> new Sweep(descriptor.name(), out, some, work, here, claims), store::append)
                        .run(planned(trials, todo));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BonsaiException("interrupted while running the trials of '" + descriptor.name() + "'; run "
                    + "again to resume", e);
        }
        List<TrialRecord> latest = ResultsStore.latestPerTrial(store.read());
        List<TrialRecord> records = thisSweep(latest, trials);
        Set<String> todoIds = todo.stream().map(TrialSpec::id).collect(Collectors.toCollection(HashSet::new));
        todoIds.removeAll(claims.recordedElsewhere());
        List<TrialRecord> fresh = records.stream().filter(r -> todoIds.contains(r.trialId())).toList();
        if (!claims.recordedElsewhere().isEmpty()) {
            LOG.info("{} trial(s) of this sweep were computed by another run on {}", claims.recordedElsewhere().size(),
                    out);
        }
        int failed = (int) fresh.stream().filter(r -> !r.ok()).count() + outcome.lost();
        List<Path> reports = new ArrayList<>();
        for (PluginRef writer : descriptor.report()) {
            reports.addAll(PluginCalls.writeReport(writer, records, out));
        }
        outputs.collectSamples(records).ifPresent(reports::add);
        LOG.info("experiment '{}' done in {} s: {} trials run, {} failed, {} still queued; reports: {}",
                descriptor.name(), String.format("%.1f", (System.nanoTime() - started) / 1e9), fresh.size(), failed,
                outcome.pending(), reports);
        return new RunSummary(records, fresh, failed, outcome.pending(), reports);
    }

    /** The trials to run, with their place in the sweep and the resources they need. */
    private List<PlannedTrial> planned(List<TrialSpec> all, List<TrialSpec> todo) {
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            index.put(all.get(i).id(), i);
        }
        List<PlannedTrial> out = new ArrayList<>();
        for (TrialSpec t : todo) {
            String device = t.engine().settings(EngineSettings.class).device();
            Resources resources = PluginRegistry.deviceKind(device).equals("cuda")
                    ? descriptor.resources().withAtLeastGpus(1) : descriptor.resources();
            out.add(new PlannedTrial(t.id(), index.get(t.id()), t.seed(), t.strategyLabel(), t.sparsity(),
                    ExperimentDescriptor.engineLabel(t.engine()), device, resources));
        }
        return out;
    }

    /** How another process computes this run's trials. */
    private TrialWork work(Path out) throws IOException {
        Path file = options.descriptorFile().toAbsolutePath().normalize();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> plugins = new ArrayList<>();
        for (Path p : options.plugins()) {
            plugins.add(p.toAbsolutePath().normalize().toString());
        }
        return new TrialWork(file.toString(), text, options.overrides(), plugins,
                options.dataDir().map(d -> d.toAbsolutePath().normalize().toString()).orElse(""), options.offline(),
                out.toAbsolutePath().normalize().toString());
    }

    /**
     * The hash of what the descriptor computes: its {@link TrialKey}, without the sections that only say where and
     * how it runs ({@code executor}, {@code resources}), so a sweep run on a cluster hashes as it does locally.
     */
    static String descriptorHash(ExperimentDescriptor descriptor) {
        return Canonical.sha256(Canonical.json(TrialKey.descriptor(descriptor)));
    }

    /**
     * The records of this descriptor's trials. Records of other configurations in the same folder (an earlier
     * version of the descriptor) stay in the file, but are left out of this run's reports.
     */
    private static List<TrialRecord> thisSweep(List<TrialRecord> all, List<TrialSpec> trials) {
        Set<String> ids = new java.util.HashSet<>();
        trials.forEach(t -> ids.add(t.id()));
        List<TrialRecord> mine = all.stream().filter(r -> ids.contains(r.trialId())).toList();
        if (mine.size() < all.size()) {
            LOG.warn("{} records in results.jsonl come from another configuration of this experiment; they are kept "
                    + "but left out of this run's reports (use a new --out folder per configuration)",
                    all.size() - mine.size());
        }
        return mine;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * What a run produced.
     *
     * @param records all records of this sweep in the output folder (the latest per trial)
     * @param fresh   the records this run added
     * @param failed  trials of this run that failed, with or without a record
     * @param pending trials an executor left queued elsewhere (a scheduler that has not run them yet)
     * @param reports report files written
     */
    public record RunSummary(List<TrialRecord> records, List<TrialRecord> fresh, int failed, int pending,
            List<Path> reports) {
    }

    /**
     * A seed's trained dense model, shared by the seed's trials.
     *
     * @param weights         its weights
     * @param config          how it was trained
     * @param test            its test evaluation
     * @param validation      its validation evaluation, if there is a validation split
     * @param names           the metrics of the data's evaluations (language-model metrics for sequences)
     * @param inference       test-set inference throughput in samples per second
     * @param trainSeconds    training time
     * @param evaluateSeconds evaluation time
     * @param epochLosses     the mean training loss of each epoch (recipe stages, then the main training)
     * @param trainData       what it was trained on (the training split, or what its recipe made of it), and its
     *                        fine-tuning after pruning will be
     * @param epochs          the sampler epochs its training used, so fine-tuning continues the sequence
     * @param teacher         the teacher it learnt from, which also teaches its fine-tuning
     */
    record DenseResult(Weights weights, TrainingConfig config, Evaluation test, Optional<Evaluation> validation,
            Metrics names, double inference, double trainSeconds, double evaluateSeconds, List<Double> epochLosses,
            Split trainData, int epochs, Optional<Teachers.Teacher> teacher) {
        Map<String, Double> metrics() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("dense_inference_samples_per_s", inference);
            Curves.put(m, Curves.DENSE_TRAIN_LOSS, epochLosses);
            names.test(m, "dense_test_", test);
            validation.ifPresent(v -> names.validation(m, "dense_validation_", v));
            teacher.ifPresent(t -> m.putAll(t.metrics()));
            return m;
        }
    }
}
