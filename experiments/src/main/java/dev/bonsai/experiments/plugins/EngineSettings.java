package dev.bonsai.experiments.plugins;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;

/**
 * The host-side keys of a descriptor's {@code engine} section.
 *
 * @param device the device to run on
 */
public record EngineSettings(
        @Doc("The device to run on: cpu or cuda (cuda:N for the N-th GPU).") @DefaultValue("cpu") String device) {
}
