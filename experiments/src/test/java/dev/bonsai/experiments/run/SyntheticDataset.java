package dev.bonsai.experiments.run;

import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Range;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A test-only dataset: two Gaussian-ish classes separated by a fixed hyperplane, so whole experiments run in a
 * second without files.
 */
public final class SyntheticDataset implements DatasetProvider<SyntheticDataset.Options> {

    /**
     * Options.
     *
     * @param train    training samples
     * @param test     test samples
     * @param features features per sample
     */
    public record Options(@DefaultValue("1024") @Range(min = 16) int train, @DefaultValue("256") @Range(min = 16) int test,
            @DefaultValue("16") @Range(min = 2) int features) {
    }

    @Override
    public String id() {
        return "synthetic";
    }

    @Override
    public String description() {
        return "Linearly separable two-class data (tests only)";
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
        return load(id(), Shape.of(o.features()), o.train(), o.test());
    }

    /** {@code train} and {@code test} samples of {@code shape}, two classes split by a fixed hyperplane. */
    static Dataset load(String id, Shape shape, int train, int test) {
        SplittableRandom r = new SplittableRandom(42);
        float[] w = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextDouble(-1, 1);
        }
        return new Dataset(new DatasetInfo(id, shape, 2, Map.of()),
                split("train", train, w, r, shape), Optional.empty(), split("test", test, w, r, shape));
    }

    private static Split split(String name, int n, float[] w, SplittableRandom r, Shape shape) {
        float[] x = new float[n * w.length];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double dot = 0;
            for (int j = 0; j < w.length; j++) {
                x[i * w.length + j] = (float) r.nextDouble(-1, 1);
                dot += x[i * w.length + j] * w[j];
            }
            y[i] = dot > 0 ? 1 : 0;
        }
        return new Split(name, shape, x, y);
    }
}
