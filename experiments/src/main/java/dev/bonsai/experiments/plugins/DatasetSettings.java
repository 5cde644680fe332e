package dev.bonsai.experiments.plugins;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import java.util.Optional;

/**
 * The host-side keys of a descriptor's {@code dataset} section.
 *
 * @param path       a folder holding the dataset's files, looked at first
 * @param validation training samples held out for validation
 */
public record DatasetSettings(
        @Doc("A folder holding the dataset's files, looked at before --data-dir, BONSAI_DATA_DIR and the cache.")
        Optional<String> path,
        @Doc("How many training samples to hold out for validation, chosen from the seed.") @DefaultValue("0")
        @Range(min = 0) int validation) {
}
