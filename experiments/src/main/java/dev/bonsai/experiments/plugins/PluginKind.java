package dev.bonsai.experiments.plugins;

import dev.bonsai.api.Plugin;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.model.ModelProvider;
import dev.bonsai.api.prune.PruningSchedule;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.report.ReportWriter;
import dev.bonsai.experiments.executor.TrialExecutor;

/** The kinds of plugin, each a service interface discovered with {@link java.util.ServiceLoader}. */
public enum PluginKind {
    /** Compute engines. */
    ENGINE("engine", ComputeEngine.class),
    /** Dataset providers. */
    DATASET("dataset", DatasetProvider.class),
    /** Model providers. */
    MODEL("model", ModelProvider.class),
    /** Pruning strategies. */
    STRATEGY("strategy", PruningStrategy.class),
    /** Pruning schedules. */
    SCHEDULE("schedule", PruningSchedule.class),
    /** Distillation recipes. */
    RECIPE("recipe", DistillationRecipe.class),
    /** Report writers. */
    REPORT("report", ReportWriter.class),
    /** Trial executors: where a sweep's trials run. */
    EXECUTOR("executor", TrialExecutor.class);

    private final String label;
    private final Class<?> service;

    PluginKind(String label, Class<?> service) {
        this.label = label;
        this.service = service;
    }

    /** The word used in messages, for example {@code strategy}. */
    public String label() {
        return label;
    }

    /** The service interface. */
    @SuppressWarnings("unchecked")
    public Class<? extends Plugin<?>> service() {
        return (Class<? extends Plugin<?>>) service;
    }
}
