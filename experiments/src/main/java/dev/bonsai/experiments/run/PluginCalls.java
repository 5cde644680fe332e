package dev.bonsai.experiments.run;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.TokenizedTextProvider;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.model.ModelProvider;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.PretrainedParts;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSelectingStrategy;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.MaskTarget;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningOutcome;
import dev.bonsai.api.prune.PruningSchedule;
import dev.bonsai.api.prune.PruningStep;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.TrainingPruningStep;
import dev.bonsai.api.report.ReportWriter;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.executor.RecordSink;
import dev.bonsai.experiments.executor.Sweep;
import dev.bonsai.experiments.executor.TrialExecutor;
import dev.bonsai.experiments.plugins.PluginRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Calls plugins through resolved {@link PluginRef}s. The descriptor reader bound each ref's options to the
 * plugin's own options type, so the unchecked casts here cannot fail.
 */
final class PluginCalls {
    private PluginCalls() {
    }

    @SuppressWarnings("unchecked")
    static <O extends Record> EngineRuntime createEngine(PluginRef ref) {
        return ((ComputeEngine<O>) ref.plugin()).create((O) ref.options());
    }

    @SuppressWarnings("unchecked")
    static <O extends Record> Dataset loadDataset(PluginRef ref, DataFiles files) {
        return ((DatasetProvider<O>) ref.plugin()).load((O) ref.options(), files);
    }

    /**
     * The dataset tokenised by a pretrained model's tokenizer, its windows within the model's context.
     *
     * @throws BonsaiException when the dataset is not text a model's tokenizer can tokenise
     */
    @SuppressWarnings("unchecked")
    static <O extends Record> Dataset loadTokenized(PluginRef ref, DataFiles files, PluginRef model,
            PretrainedParts parts) {
        if (!(ref.plugin() instanceof TokenizedTextProvider<?> provider)) {
            throw new BonsaiException("model '" + model.id() + "' is pretrained with its own tokenizer, but dataset '"
                    + ref.id() + "' is not text that a model's tokenizer can tokenise; use a text dataset that takes"
                    + " the model's tokenizer (such as tinystories)");
        }
        return ((TokenizedTextProvider<O>) provider).load((O) ref.options(), files, parts.tokenizer(), parts.context());
    }

    /** How a tokenised dataset's splits were made for a model of this context, in words; empty for others. */
    @SuppressWarnings("unchecked")
    static <O extends Record> Optional<String> protocol(PluginRef ref, int modelContext) {
        return ref.plugin() instanceof TokenizedTextProvider<?> provider
                ? Optional.of(((TokenizedTextProvider<O>) provider).protocol((O) ref.options(), modelContext))
                : Optional.empty();
    }

    @SuppressWarnings("unchecked")
    static <O extends Record> Optional<PretrainedParts> pretrained(PluginRef ref) {
        return ((ModelProvider<O>) ref.plugin()).pretrained((O) ref.options());
    }

    @SuppressWarnings("unchecked")
    static <O extends Record> Optional<float[]> blackLevel(PluginRef ref) {
        return ((DatasetProvider<O>) ref.plugin()).blackLevel((O) ref.options());
    }

    @SuppressWarnings("unchecked")
    static <O extends Record> ModelSpec buildModel(PluginRef ref, DatasetInfo info) {
        return ((ModelProvider<O>) ref.plugin()).build((O) ref.options(), info);
    }

    @SuppressWarnings("unchecked")
    static <O extends Record> Set<Requirement> requirements(PluginRef ref) {
        return ((PruningStrategy<O>) ref.plugin()).requirements((O) ref.options());
    }

    @SuppressWarnings("unchecked")
    static <O extends Record> Optional<Scope> scope(PluginRef ref) {
        return ((PruningStrategy<O>) ref.plugin()).scope((O) ref.options());
    }

    /** Whether the strategy selects its own masks, so that the host calls {@link #prune} instead of scoring. */
    static boolean selectsMasks(PluginRef ref) {
        return ref.plugin() instanceof MaskSelectingStrategy<?>;
    }

    @SuppressWarnings("unchecked")
    static <O extends Record> PruningOutcome prune(PluginRef ref, PruningContext context, MaskTarget target) {
        return ((MaskSelectingStrategy<O>) ref.plugin()).prune((O) ref.options(), context, target);
    }

    @SuppressWarnings("unchecked")
    static <O extends Record> Scores score(PluginRef ref, PruningContext context) {
        return ((PruningStrategy<O>) ref.plugin()).score((O) ref.options(), context);
    }

    @SuppressWarnings("unchecked")
    static <O extends Record> Optional<Weights> compensate(PluginRef ref, PruningContext context, MaskSet masks) {
        return ((PruningStrategy<O>) ref.plugin()).compensate((O) ref.options(), context, masks);
    }

    @SuppressWarnings("unchecked")
    static <O extends Record> List<PruningStep> steps(PluginRef ref, double target, int finetuneEpochs) {
        return ((PruningSchedule<O>) ref.plugin()).steps(target, finetuneEpochs, (O) ref.options());
    }

    @SuppressWarnings("unchecked")
    static <O extends Record> List<TrainingPruningStep> duringTraining(PluginRef ref, double target,
            long stepsPerEpoch, int epochs) {
        return ((PruningSchedule<O>) ref.plugin()).duringTraining(target, stepsPerEpoch, epochs, (O) ref.options());
    }

    @SuppressWarnings("unchecked")
    static <O extends Record> TrialExecutor.Outcome execute(PluginRef ref, Sweep sweep, RecordSink sink)
            throws IOException, InterruptedException {
        return ((TrialExecutor<O>) ref.plugin()).execute(sweep, (O) ref.options(), sink);
    }

    @SuppressWarnings("unchecked")
    static <O extends Record> List<Path> writeReport(PluginRef ref, List<TrialRecord> records, Path out) throws IOException {
        return ((ReportWriter<O>) ref.plugin()).write(records, out, (O) ref.options());
    }
}
