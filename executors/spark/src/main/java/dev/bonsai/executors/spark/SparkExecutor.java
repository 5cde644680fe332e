package dev.bonsai.executors.spark;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import dev.bonsai.experiments.executor.PlannedTrial;
import dev.bonsai.experiments.executor.RecordSink;
import dev.bonsai.experiments.executor.Resources;
import dev.bonsai.experiments.executor.Sweep;
import dev.bonsai.experiments.executor.TrialClaims;
import dev.bonsai.experiments.executor.TrialExecutor;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkConf;

/**
 * Runs trials as Spark tasks. Trials with the same {@link Resources} form one Spark application whose executors ask
 * for those resources ({@code spark.executor.resource.gpu.amount}, one custom resource per hardware tag) and whose
 * tasks get them ({@code spark.task.resource.*}); applications of different groups run one after another.
 */
public final class SparkExecutor implements TrialExecutor<SparkExecutor.Options> {
    private static final Logger LOG = LogManager.getLogger(SparkExecutor.class);

    /**
     * Options of the {@code spark} executor.
     *
     * @param master             the Spark master URL; {@code local[parallel]} when absent
     * @param parallel           trials at once in {@code local[n]}
     * @param executorMemory     heap of each Spark executor
     * @param executorCores      cores of each Spark executor; default: the trials' {@code cpu}
     * @param maxCores           cores the application may take from the cluster in all
     * @param classpath          Bonsai's class path on the workers
     * @param jars               jars shipped with the application
     * @param resourceTimeout    seconds to wait for a first executor before failing with the workers' resources
     * @param masterUi           the standalone master's web UI, for diagnostics
     */
    @Doc("Options of the spark executor.")
    public record Options(
            @Doc("The Spark master: spark://host:7077 for a standalone cluster, local-cluster[2,1,1024] for real "
                    + "worker processes on this machine; default local[parallel] (threads in this JVM).")
            Optional<String> master,
            @Doc("Trials at once when no master is given (local[parallel]).") @DefaultValue("2") @Range(min = 1)
            int parallel,
            @Doc("Heap of each Spark executor (spark.executor.memory).") @DefaultValue("1g") String executorMemory,
            @Doc("Cores of each Spark executor (spark.executor.cores); default: the trials' resources.cpu, so each "
                    + "executor runs one trial at a time.") Optional<Integer> executorCores,
            @Doc("Cores the application may take from the cluster in all (spark.cores.max).")
            Optional<Integer> maxCores,
            @Doc("Bonsai's class path on the workers where it is preinstalled, e.g. /opt/bonsai/lib/* "
                    + "(spark.executor.extraClassPath); default: this driver's own class path, right when workers see "
                    + "the driver's files at the same paths (one machine, a shared file system, the same install).")
            Optional<String> classpath,
            @Doc("Jars shipped with the application (spark.jars), e.g. a plugin the workers lack; install large "
                    + "ones (DJL's native jar) on the workers once instead.") @DefaultValue("[]") List<String> jars,
            @Doc("Seconds to wait for Spark to start a first executor for the trials' resources; then the run fails "
                    + "naming the request and what the workers have.") @DefaultValue("120") @Range(min = 1)
            int resourceTimeout,
            @Doc("The standalone master's web UI (default http://MASTER-HOST:8080), read for the workers' resources "
                    + "and executors' logs when the run fails.") Optional<String> masterUi) {
    }

    @Override
    public String id() {
        return "spark";
    }

    @Override
    public String description() {
        return "Trials as Apache Spark tasks: local[n], local-cluster or a standalone cluster, GPU-aware";
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
     * Claims the trials in this driver, each until its record is appended, so another {@code bonsai run} on the
     * output folder does not compute them; Spark tasks take no claims.
     */
    @Override
    public Outcome execute(Sweep sweep, Options options, RecordSink sink) throws IOException, InterruptedException {
        try (TrialClaims.Batch claimed = sweep.claims().claimAll(sweep.trials())) {
            Map<Resources, List<PlannedTrial>> groups = new LinkedHashMap<>();
            for (PlannedTrial trial : claimed.trials()) {
                groups.computeIfAbsent(trial.resources(), r -> new ArrayList<>()).add(trial);
            }
            RecordSink releasing = claimed.releasing(sink);
            int completed = 0;
            for (Map.Entry<Resources, List<PlannedTrial>> group : groups.entrySet()) {
                SparkConf conf = conf(sweep.experiment(), options, group.getKey());
                LOG.info("{} trial(s) asking for {} on Spark master {}", group.getValue().size(),
                        group.getKey().label(), conf.get("spark.master"));
                completed += new SparkSweep(sweep, options, group.getKey(), group.getValue(), conf, releasing).run();
            }
            return new Outcome(completed, 0);
        }
    }

    /** The Spark configuration of one group's application. */
    static SparkConf conf(String experiment, Options options, Resources resources) {
        String master = master(options);
        boolean local = isLocal(master);
        if (local && (resources.gpu() > 0 || !resources.hardware().isEmpty())) {
            throw new BonsaiException("trials asking for " + resources.label() + " need a Spark cluster whose workers "
                    + "advertise those resources; " + master + " runs tasks in this JVM without resource scheduling. "
                    + "Give executor.master (--master spark://host:7077), or run them with the local executor");
        }
        SparkConf conf = new SparkConf(false).setMaster(master).setAppName("bonsai " + experiment)
                .set("spark.ui.enabled", "false")
                .set("spark.task.cpus", Integer.toString(resources.cpu()));
        if (!local) {
            conf.set("spark.executor.memory", options.executorMemory())
                    .set("spark.executor.cores", Integer.toString(options.executorCores().orElse(resources.cpu())))
                    .set("spark.executor.extraClassPath", options.classpath()
                            .orElse(System.getProperty("java.class.path")));
            options.maxCores().ifPresent(c -> conf.set("spark.cores.max", Integer.toString(c)));
            if (resources.gpu() > 0) {
                conf.set("spark.executor.resource.gpu.amount", Integer.toString(resources.gpu()))
                        .set("spark.task.resource.gpu.amount", Integer.toString(resources.gpu()));
            }
            for (String tag : resources.hardware()) {
                conf.set("spark.executor.resource." + tag + ".amount", "1")
                        .set("spark.task.resource." + tag + ".amount", "1");
            }
        }
        if (!options.jars().isEmpty()) {
            List<String> absolute = new ArrayList<>();
            for (String jar : options.jars()) {
                absolute.add(new File(jar).getAbsolutePath());
            }
            conf.set("spark.jars", String.join(",", absolute));
        }
        return conf;
    }

    static String master(Options options) {
        return options.master().orElse("local[" + options.parallel() + "]");
    }

    static boolean isLocal(String master) {
        return master.equals("local") || master.startsWith("local[");
    }
}
