package dev.bonsai.experiments.plugins;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import dev.bonsai.api.Plugin;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.model.ModelProvider;
import dev.bonsai.api.prune.PruningSchedule;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.report.ReportWriter;
import dev.bonsai.experiments.executor.TrialExecutor;

/** Binds every discovered plugin into a {@code Map<String, P>} per kind, keyed by id. */
public final class PluginsModule extends AbstractModule {
    private final DiscoveredPlugins discovered;

    /** A module over {@code discovered}. */
    public PluginsModule(DiscoveredPlugins discovered) {
        this.discovered = discovered;
    }

    @Override
    protected void configure() {
        bind(DiscoveredPlugins.class).toInstance(discovered);
        bindKind(PluginKind.ENGINE, new TypeLiteral<ComputeEngine<?>>() { });
        bindKind(PluginKind.DATASET, new TypeLiteral<DatasetProvider<?>>() { });
        bindKind(PluginKind.MODEL, new TypeLiteral<ModelProvider<?>>() { });
        bindKind(PluginKind.STRATEGY, new TypeLiteral<PruningStrategy<?>>() { });
        bindKind(PluginKind.SCHEDULE, new TypeLiteral<PruningSchedule<?>>() { });
        bindKind(PluginKind.RECIPE, new TypeLiteral<DistillationRecipe<?>>() { });
        bindKind(PluginKind.REPORT, new TypeLiteral<ReportWriter<?>>() { });
        bindKind(PluginKind.EXECUTOR, new TypeLiteral<TrialExecutor<?>>() { });
    }

    private <P extends Plugin<?>> void bindKind(PluginKind kind, TypeLiteral<P> type) {
        MapBinder<String, P> map = MapBinder.newMapBinder(binder(), TypeLiteral.get(String.class), type);
        for (Plugin<?> plugin : discovered.of(kind).values()) {
            @SuppressWarnings("unchecked")
            P typed = (P) kind.service().cast(plugin);
            map.addBinding(plugin.id()).toInstance(typed);
        }
    }
}
