package dev.bonsai.experiments.run;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Augmentation;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.data.ImageJitter;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor.AugmentSection;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor.TrainSection;
import dev.bonsai.experiments.plugins.PluginRef;
import java.util.List;

/** The engine-neutral {@link TrainingConfig} of a descriptor's {@code train:} section (a student's or a teacher's). */
final class TrainingConfigs {
    private TrainingConfigs() {
    }

    /**
     * The configuration of {@code train} with a cross-entropy loss, and its augmentation padded with the dataset's
     * black (its provider's {@link DatasetProvider#blackLevel}, or 0 when the provider does not say).
     *
     * @param train   the section
     * @param dataset the descriptor's dataset
     * @param info    the loaded dataset's description, whose sample shape the augmentation must fit
     * @param where   names the section in errors, for example {@code train} or {@code distill.teacher.train}
     * @throws BonsaiException when the augmentation cannot transform the dataset's samples, with the reason
     */
    static TrainingConfig of(TrainSection train, PluginRef dataset, DatasetInfo info, String where) {
        return new TrainingConfig(train.epochs(), train.batch(), train.optimizer().toSpec(),
                train.lrSchedule().toSchedule(), train.gradientClip(), List.of(new LossTerm.CrossEntropy(1)),
                train.augment().map(a -> augmentation(a, dataset, info, where)), train.maxNorm().orElse(0.0));
    }

    private static Augmentation augmentation(AugmentSection section, PluginRef dataset, DatasetInfo info,
            String where) {
        float[] black = PluginCalls.blackLevel(dataset).orElse(new float[] {0});
        ImageJitter jitter = new ImageJitter(section.shift(), section.flip(), black);
        try {
            jitter.check(info.sampleShape());
        } catch (IllegalArgumentException e) {
            throw new BonsaiException("'" + where + ".augment' cannot be used with dataset '" + info.id() + "': "
                    + e.getMessage(), e);
        }
        return jitter;
    }
}
