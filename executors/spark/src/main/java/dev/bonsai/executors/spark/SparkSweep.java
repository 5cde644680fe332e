package dev.bonsai.executors.spark;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.executor.PlannedTrial;
import dev.bonsai.experiments.executor.RecordSink;
import dev.bonsai.experiments.executor.Resources;
import dev.bonsai.experiments.executor.Sweep;
import dev.bonsai.reports.store.ResultsStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;

/**
 * One Spark application running the trials of one resource group: a one-task job per trial, submitted in the
 * sweep's order, each record appended by the driver the moment its job ends. A watchdog fails the run with the
 * request and the workers' resources when no executor starts within the timeout (an unsatisfiable request waits
 * forever in Spark, as do executors that crash at start), and with the executors' errors when Spark gives up.
 */
final class SparkSweep {
    private static final Logger LOG = LogManager.getLogger(SparkSweep.class);
    private static final long POLL_MILLIS = 200;
    /** Executors that may exit before any trial finished before the run gives up on the cluster. */
    private static final int EXECUTOR_EXITS = 3;

    private final Sweep sweep;
    private final SparkExecutor.Options options;
    private final Resources resources;
    private final List<PlannedTrial> trials;
    private final SparkConf conf;
    private final RecordSink sink;

    SparkSweep(Sweep sweep, SparkExecutor.Options options, Resources resources, List<PlannedTrial> trials,
            SparkConf conf, RecordSink sink) {
        this.sweep = sweep;
        this.options = options;
        this.resources = resources;
        this.trials = trials;
        this.conf = conf;
        this.sink = sink;
    }

    /** Runs the trials; returns how many records were appended. */
    int run() throws IOException, InterruptedException {
        String master = conf.get("spark.master");
        ExecutorWatch watch = new ExecutorWatch();
        try (JavaSparkContext spark = start(master)) {
            spark.sc().addSparkListener(watch);
            Map<JavaFutureAction<List<String>>, PlannedTrial> jobs = new LinkedHashMap<>();
            for (PlannedTrial trial : trials) {
                TrialTask task = new TrialTask(sweep.work(), trial.id(), trial.device());
                spark.setJobDescription("bonsai " + sweep.experiment() + " " + trial.label());
                jobs.put(spark.parallelize(List.of(task), 1).map(SparkTrials::run).collectAsync(), trial);
            }
            long started = System.nanoTime();
            int done = 0;
            while (!jobs.isEmpty()) {
                List<JavaFutureAction<List<String>>> finished = new ArrayList<>();
                for (JavaFutureAction<List<String>> job : jobs.keySet()) {
                    if (job.isDone()) {
                        finished.add(job);
                    }
                }
                for (JavaFutureAction<List<String>> job : finished) {
                    PlannedTrial trial = jobs.remove(job);
                    TrialRecord record = record(job, trial, spark, watch, master);
                    sink.accept(record);
                    done++;
                    LOG.info("{}: {} on Spark executor {} ({} of {})", trial.label(), record.status(),
                            record.provenance().getOrDefault("spark.executor_id", "?"), done, trials.size());
                }
                if (!jobs.isEmpty()) {
                    checkProgress(spark, watch, master, started, done);
                    Thread.sleep(POLL_MILLIS);
                }
            }
            return done;
        }
    }

    private JavaSparkContext start(String master) {
        try {
            return new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            throw new BonsaiException("Spark could not start an application on " + master + ": " + causes(e)
                    + "; check executor.master and the executor options", e);
        }
    }

    private TrialRecord record(JavaFutureAction<List<String>> job, PlannedTrial trial, JavaSparkContext spark,
            ExecutorWatch watch, String master) throws InterruptedException {
        try {
            return ResultsStore.fromJson(job.get().get(0));
        } catch (ExecutionException e) {
            throw new BonsaiException("Spark could not run trial " + trial.label() + ": " + causes(e.getCause())
                    + diagnostics(spark, watch, master), e.getCause());
        }
    }

    /** Fails when no executor has started within the timeout, or when Spark stopped the application. */
    private void checkProgress(JavaSparkContext spark, ExecutorWatch watch, String master, long started, int done) {
        if (spark.sc().isStopped()) {
            throw new BonsaiException("Spark stopped the application before its trials finished"
                    + diagnostics(spark, watch, master));
        }
        if (done == 0 && watch.removed.size() >= EXECUTOR_EXITS) {
            throw new BonsaiException(watch.removed.size() + " Spark executors exited before any trial finished on "
                    + master + diagnostics(spark, watch, master) + ". Check Bonsai's class path on the workers "
                    + "(executor.classpath), executor.executor_memory, and the workers' logs");
        }
        boolean waited = (System.nanoTime() - started) / 1e9 > options.resourceTimeout();
        if (waited && done == 0 && watch.added.get() == 0 && !SparkExecutor.isLocal(master)) {
            throw new BonsaiException("no Spark executor started within " + options.resourceTimeout() + " s for trials"
                    + " asking for " + resources.label() + " (" + request() + ") on " + master + diagnostics(spark,
                    watch, master) + ". Give a worker what the trials ask for (spark.worker.resource.NAME.amount and "
                    + "a discovery script, enough cores and memory), ask for less, or raise executor.resource_timeout");
        }
    }

    /** The resource settings of the application, as Spark spells them. */
    private String request() {
        List<String> parts = new ArrayList<>();
        for (scala.Tuple2<String, String> e : conf.getAll()) {
            String key = e._1();
            if (key.startsWith("spark.executor.resource.") || key.startsWith("spark.task.resource.")
                    || key.equals("spark.executor.cores") || key.equals("spark.executor.memory")
                    || key.equals("spark.task.cpus")) {
                parts.add(key + "=" + e._2());
            }
        }
        parts.sort(null);
        return String.join(", ", parts);
    }

    private String diagnostics(JavaSparkContext spark, ExecutorWatch watch, String master) {
        StringBuilder b = new StringBuilder();
        if (!watch.removed.isEmpty()) {
            Map<String, Integer> reasons = new java.util.TreeMap<>();
            synchronized (watch.removed) {
                watch.removed.forEach(r -> reasons.merge(r, 1, Integer::sum));
            }
            List<String> parts = new ArrayList<>();
            reasons.forEach((reason, n) -> parts.add(n + " × " + reason));
            b.append("; executors lost: ").append(String.join("; ", parts));
        }
        if (!SparkExecutor.isLocal(master) && master.startsWith("spark://")) {
            ClusterDiagnostics cluster = new ClusterDiagnostics(options.masterUi()
                    .orElse(ClusterDiagnostics.defaultUi(master)));
            b.append("; ").append(cluster.workers());
            cluster.executorErrors(spark.sc().applicationId()).ifPresent(err -> b.append("; ").append(err));
        }
        return b.toString();
    }

    private static String causes(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            b.append(" (").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(')');
        }
        return b.toString();
    }

    /** Counts executors that started and keeps why executors were lost. */
    private static final class ExecutorWatch extends SparkListener {
        final AtomicInteger added = new AtomicInteger();
        final List<String> removed = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onExecutorAdded(SparkListenerExecutorAdded event) {
            added.incrementAndGet();
            LOG.info("Spark executor {} started on {}", event.executorId(), event.executorInfo().executorHost());
        }

        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved event) {
            removed.add(event.reason());
            LOG.warn("Spark executor {} lost: {}", event.executorId(), event.reason());
        }
    }
}
