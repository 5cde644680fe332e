package dev.bonsai.experiments.descriptor;

import dev.bonsai.api.engine.LrSchedule;
import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/** The learning-rate schedule a descriptor asks for, picked by {@code id}. */
public sealed interface LrScheduleSection {

    /** The engine-neutral schedule. */
    LrSchedule toSchedule();

    /** A constant rate. */
    @Variant("constant")
    record Constant() implements LrScheduleSection {
        @Override
        public LrSchedule toSchedule() {
            return new LrSchedule.Constant();
        }
    }

    /**
     * Step decay.
     *
     * @param every epochs between decays
     * @param gamma the multiplier
     */
    @Variant("step")
    record Step(@Doc("Epochs between decays.") @Range(min = 1) int every,
            @Doc("Multiplier at each decay.") @DefaultValue("0.1") @Range(min = 0, max = 1, minExclusive = true) double gamma)
            implements LrScheduleSection {
        @Override
        public LrSchedule toSchedule() {
            return new LrSchedule.StepDecay(every, gamma);
        }
    }

    /**
     * Cosine annealing with linear warm-up.
     *
     * @param warmup        warm-up steps
     * @param finalFraction the final rate as a fraction of the base rate
     */
    @Variant("cosine")
    record Cosine(@Doc("Linear warm-up steps.") @DefaultValue("0") @Range(min = 0) long warmup,
            @Doc("Final rate as a fraction of the base.") @DefaultValue("0") @Range(min = 0, max = 1) double finalFraction)
            implements LrScheduleSection {
        @Override
        public LrSchedule toSchedule() {
            return new LrSchedule.Cosine(warmup, finalFraction);
        }
    }
}
