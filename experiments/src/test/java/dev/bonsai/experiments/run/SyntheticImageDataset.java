package dev.bonsai.experiments.run;

import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.Shape;
import java.util.List;

/**
 * A test-only dataset: {@link SyntheticDataset}'s samples as square one-channel images {@code [1, s, s]} of
 * {@code s² = features} pixels, for tests of image augmentation.
 */
public final class SyntheticImageDataset implements DatasetProvider<SyntheticDataset.Options> {
    private final SyntheticDataset vectors = new SyntheticDataset();

    @Override
    public String id() {
        return "synthetic-images";
    }

    @Override
    public String description() {
        return "Linearly separable two-class data as square images (tests only)";
    }

    @Override
    public Class<SyntheticDataset.Options> optionsType() {
        return SyntheticDataset.Options.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public List<DataFile> files(SyntheticDataset.Options options) {
        return List.of();
    }

    @Override
    public Dataset load(SyntheticDataset.Options o, DataFiles files) {
        int side = (int) Math.round(Math.sqrt(o.features()));
        if (side * side != o.features()) {
            throw new IllegalArgumentException("synthetic images need a square number of features, got " + o.features());
        }
        Shape shape = Shape.of(1, side, side);
        Dataset d = vectors.load(o, files);
        return new Dataset(new DatasetInfo(id(), shape, d.info().classes(), d.info().sha256()),
                image(d.train(), shape), d.validation(), image(d.test(), shape));
    }

    private static Split image(Split s, Shape shape) {
        return new Split(s.name(), shape, s.features(), s.labels());
    }
}
