package dev.bonsai.api.data;

import dev.bonsai.api.Plugin;
import java.util.List;
import java.util.Optional;

/**
 * Loads a dataset: declares its files, and decodes them once the host has resolved and verified them.
 * Providers return the dataset's own train and test splits; validation hold-outs are made by the host.
 *
 * @param <O> the options record
 */
public interface DatasetProvider<O extends Record> extends Plugin<O> {

    /** The files this dataset needs with these options. */
    List<DataFile> files(O options);

    /**
     * Decodes the dataset.
     *
     * @param options its options
     * @param files   resolves and verifies each of {@link #files(Record)}
     * @return the dataset, without a validation split
     * @throws dev.bonsai.api.BonsaiException when a file is malformed, naming the file and what was wrong
     */
    Dataset load(O options, DataFiles files);

    /**
     * The value a black pixel (raw value 0) has in each channel of the loaded samples with these options, for
     * image datasets: what {@link ImageJitter} fills the pixels moved in from outside an image with, so that padding
     * looks like the images' own background even after normalisation. One value per channel, or one for all.
     *
     * @return the values; empty when the samples are not images or the provider does not say (padding is then 0)
     */
    default Optional<float[]> blackLevel(O options) {
        return Optional.empty();
    }
}
