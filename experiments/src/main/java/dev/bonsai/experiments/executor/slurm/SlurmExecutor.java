package dev.bonsai.experiments.executor.slurm;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import dev.bonsai.experiments.executor.PlannedTrial;
import dev.bonsai.experiments.executor.RecordSink;
import dev.bonsai.experiments.executor.Sweep;
import dev.bonsai.experiments.executor.TrialClaims;
import dev.bonsai.experiments.executor.TrialExecutor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs trials as Slurm job arrays: one array per group of trials with the same resources, each task running
 * {@code bonsai trial} for its trial and appending its record to the run's results file itself (file-locked
 * appends; the output folder must be on a file system the nodes share). Trials whose task is still queued or
 * running are not submitted again, so rerunning {@code bonsai run} after the driver died resumes the sweep.
 */
public final class SlurmExecutor implements TrialExecutor<SlurmExecutor.Options> {
    private static final Logger LOG = LogManager.getLogger(SlurmExecutor.class);

    /**
     * Options of the {@code slurm} executor.
     *
     * @param partition   the partition
     * @param account     the account
     * @param sbatch      further sbatch options
     * @param maxParallel array tasks at once
     * @param bonsai      the bonsai command on the nodes
     * @param waitForTrials whether to wait for the arrays
     * @param poll        seconds between looks at the queue
     */
    @Doc("Options of the slurm executor.")
    public record Options(
            @Doc("The partition (--partition).") Optional<String> partition,
            @Doc("The account charged (--account).") Optional<String> account,
            @Doc("Further sbatch options, e.g. ['--qos=long'].") @DefaultValue("[]") List<String> sbatch,
            @Doc("Array tasks running at once (--array=…%N); default: as many as Slurm gives.")
            Optional<Integer> maxParallel,
            @Doc("The bonsai command on the nodes; default: the launcher this driver was started with (on a file "
                    + "system the nodes share), else bonsai on the nodes' PATH.") Optional<String> bonsai,
            @Doc("Wait for the arrays to finish and write the reports; false: submit and return (bonsai sweep status "
                    + "OUT tells how they stand; bonsai report OUT renders the reports).") @DefaultValue("true")
            boolean waitForTrials,
            @Doc("Seconds between looks at Slurm's queue while waiting.") @DefaultValue("10") @Range(min = 1)
            int poll) {
    }

    private final SlurmClient slurm;

    /** The executor over the sbatch and squeue on this machine's PATH. */
    public SlurmExecutor() {
        this(new SlurmClient());
    }

    SlurmExecutor(SlurmClient slurm) {
        this.slurm = slurm;
    }

    @Override
    public String id() {
        return "slurm";
    }

    @Override
    public String description() {
        return "Trials as Slurm job arrays, one per group of trials with the same resources";
    }

    @Override
    public Class<Options> optionsType() {
        return Options.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public boolean runsTrialsHere() {
        return false;
    }

    /**
     * Claims the trials in this driver and holds the claims while waiting for them (until submitted, without
     * {@code wait_for_trials}), so another {@code bonsai run} on the folder neither submits nor computes them; the
     * array tasks take no claims.
     */
    @Override
    public Outcome execute(Sweep sweep, Options options, RecordSink sink) throws IOException, InterruptedException {
        try (TrialClaims.Batch claimed = sweep.claims().claimAll(sweep.trials())) {
            if (claimed.trials().isEmpty()) {
                return new Outcome(0, 0);
            }
            return execute(sweep, claimed.trials(), options);
        }
    }

    private Outcome execute(Sweep sweep, List<PlannedTrial> trials, Options options)
            throws IOException, InterruptedException {
        Submissions folder = Submissions.in(sweep.out());
        folder.writeWork(sweep.work());
        Set<String> live = live(folder);
        // one array per resources; trials on a cuda device get the granted GPU as theirs, so they group apart
        Map<List<Object>, List<PlannedTrial>> groups = new LinkedHashMap<>();
        int waiting = 0;
        for (PlannedTrial trial : trials) {
            if (live.contains(trial.id())) {
                waiting++;
            } else {
                groups.computeIfAbsent(List.of(trial.resources(), cuda(trial.device())), r -> new ArrayList<>())
                        .add(trial);
            }
        }
        if (waiting > 0) {
            LOG.info("{} trial(s) are still queued or running in Slurm from an earlier submission; not submitted again",
                    waiting);
        }
        String bonsai = options.bonsai().orElse(System.getProperty("bonsai.launcher", "bonsai"));
        for (List<PlannedTrial> group : groups.values()) {
            PlannedTrial first = group.get(0);
            List<String> ids = group.stream().map(PlannedTrial::id).toList();
            submit(folder, SlurmScript.options(sweep.experiment(), first.resources(), options, folder.logs()), ids,
                    bonsai, first.device(), options);
        }
        Set<String> mine = new HashSet<>();
        trials.forEach(t -> mine.add(t.id()));
        if (!options.waitForTrials()) {
            return new Outcome(0, mine.size(), 0);
        }
        return await(sweep.out(), mine, options.poll());
    }

    private static boolean cuda(String device) {
        return dev.bonsai.experiments.plugins.PluginRegistry.deviceKind(device).equals("cuda");
    }

    /** Submits {@code trials} as one array; returns the job id. */
    String submit(Submissions folder, List<String> sbatch, List<String> trials, String bonsai, String device,
            Options options) throws IOException {
        Path script = SlurmScript.write(folder, sbatch, bonsai, device);
        Path list = SlurmScript.list(folder, trials);
        String array = "--array=0-" + (trials.size() - 1) + options.maxParallel().map(n -> "%" + n).orElse("");
        String job = slurm.submit(List.of(array), script.toString(), List.of(list.toString()));
        folder.append(job, trials, script);
        LOG.info("submitted {} trial(s) as Slurm array job {} ({})", trials.size(), job, String.join(" ", sbatch));
        return job;
    }

    /** The trials of the folder whose latest task Slurm still lists. */
    private Set<String> live(Submissions folder) throws IOException {
        Set<String> out = new HashSet<>();
        if (!folder.exists()) {
            return out;
        }
        for (SweepStatus.Line line : SweepStatus.of(folder.dir().getParent(), slurm)) {
            if (line.state() == SweepStatus.State.QUEUED || line.state() == SweepStatus.State.RUNNING) {
                out.add(line.trial());
            }
        }
        return out;
    }

    private Outcome await(Path out, Set<String> trials, int poll) throws IOException, InterruptedException {
        String last = "";
        while (true) {
            Map<SweepStatus.State, Integer> counts = new java.util.EnumMap<>(SweepStatus.State.class);
            List<SweepStatus.Line> lines = SweepStatus.of(out, slurm).stream()
                    .filter(l -> trials.contains(l.trial())).toList();
            counts.putAll(SweepStatus.counts(lines));
            String now = counts.toString();
            if (!now.equals(last)) {
                LOG.info("Slurm: {}", now);
                last = now;
            }
            if (counts.get(SweepStatus.State.QUEUED) + counts.get(SweepStatus.State.RUNNING) == 0) {
                int lost = counts.get(SweepStatus.State.LOST);
                if (lost > 0) {
                    LOG.warn("{} trial(s) ended without a record; see bonsai sweep status {} and resubmit them with "
                            + "bonsai sweep resubmit {}", lost, out, out);
                }
                return new Outcome(lines.size() - lost, 0, lost);
            }
            Thread.sleep(poll * 1000L);
        }
    }

    /**
     * Submits again the trials of {@code out} named in {@code trialIds}, one array per group of the same script.
     *
     * @throws BonsaiException when a trial was never submitted from this folder, or is still queued or running
     */
    public List<String> resubmit(Path out, List<String> trialIds) throws IOException {
        Submissions folder = Submissions.in(out);
        Map<String, SweepStatus.Line> status = new LinkedHashMap<>();
        SweepStatus.of(out, slurm).forEach(l -> status.put(l.trial(), l));
        Map<String, Submissions.Submission> latest = folder.latest();
        Map<String, List<String>> byScript = new LinkedHashMap<>();
        for (String id : trialIds) {
            SweepStatus.Line line = status.get(id);
            if (line == null) {
                throw new BonsaiException("trial '" + id + "' was never submitted to Slurm from " + out
                        + " (known: " + String.join(", ", status.keySet()) + ")");
            }
            if (line.state() == SweepStatus.State.QUEUED || line.state() == SweepStatus.State.RUNNING) {
                throw new BonsaiException("trial '" + id + "' is " + line.state().name().toLowerCase(java.util.Locale.ROOT)
                        + " as Slurm task " + line.job() + "; cancel it (scancel " + line.job() + ") or let it end");
            }
            byScript.computeIfAbsent(latest.get(id).script(), s -> new ArrayList<>()).add(id);
        }
        List<String> jobs = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byScript.entrySet()) {
            Path script = folder.dir().resolve(e.getKey());
            Path list = SlurmScript.list(folder, e.getValue());
            String job = slurm.submit(List.of("--array=0-" + (e.getValue().size() - 1)), script.toString(),
                    List.of(list.toString()));
            folder.append(job, e.getValue(), script);
            LOG.info("resubmitted {} trial(s) as Slurm array job {}", e.getValue().size(), job);
            jobs.add(job);
        }
        return jobs;
    }
}
