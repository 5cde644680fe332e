package dev.bonsai.experiments.run;

import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Range;
import java.util.List;

/** A test-only dataset: {@link SyntheticDataset}'s two classes as {@code [1, side, side]} images, for CNNs. */
public final class SyntheticImages implements DatasetProvider<SyntheticImages.Options> {

    /**
     * Options.
     *
     * @param train training samples
     * @param test  test samples
     * @param side  the images' height and width
     */
    public record Options(@DefaultValue("256") @Range(min = 16) int train, @DefaultValue("128") @Range(min = 16) int test,
            @DefaultValue("8") @Range(min = 2) int side) {
    }

    @Override
    public String id() {
        return "synthetic-images";
    }

    @Override
    public String description() {
        return "Linearly separable two-class single-channel images (tests only)";
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
    public List<DataFile> files(Options options) {
        return List.of();
    }

    @Override
    public Dataset load(Options o, DataFiles files) {
        return SyntheticDataset.load(id(), Shape.of(1, o.side(), o.side()), o.train(), o.test());
    }
}
