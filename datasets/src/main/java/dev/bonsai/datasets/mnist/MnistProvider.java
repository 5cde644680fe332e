package dev.bonsai.datasets.mnist;

import dev.bonsai.api.Spi;
import dev.bonsai.datasets.idx.IdxImageDatasetProvider;
import dev.bonsai.datasets.idx.IdxImageFiles;
import java.util.List;

/**
 * MNIST handwritten digits (LeCun, Cortes and Burges; CC BY-SA 3.0): 60,000 training and 10,000 test grey-scale
 * images of 28 × 28 pixels in 10 classes, from the four original IDX {@code .gz} files. Samples have shape
 * {@code [1, 28, 28]}.
 */
public final class MnistProvider extends IdxImageDatasetProvider<MnistOptions> {
    /** The dataset id. */
    public static final String ID = "mnist";
    /** The mean of the training pixels on the {@code [0, 1]} scale. */
    public static final double MEAN = 0.1307;
    /** The standard deviation of the training pixels on the {@code [0, 1]} scale. */
    public static final double STD = 0.3081;
    /** Public mirrors of the original files, tried in order. */
    public static final List<String> MIRRORS = List.of(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/");

    /** The four original files, with their SHA-256 and sizes. */
    public static final IdxImageFiles FILES = new IdxImageFiles(
            IdxImageFiles.file("train-images-idx3-ubyte.gz",
                    "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 9_912_422L, MIRRORS),
            IdxImageFiles.file("train-labels-idx1-ubyte.gz",
                    "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 28_881L, MIRRORS),
            IdxImageFiles.file("t10k-images-idx3-ubyte.gz",
                    "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 1_648_877L, MIRRORS),
            IdxImageFiles.file("t10k-labels-idx1-ubyte.gz",
                    "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 4_542L, MIRRORS));

    /** The provider (for {@link java.util.ServiceLoader}). */
    public MnistProvider() {
        super(FILES, 28, 28, 10, MEAN, STD);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "MNIST handwritten digits: 60,000 train + 10,000 test images, 1×28×28, 10 classes";
    }

    @Override
    public Class<MnistOptions> optionsType() {
        return MnistOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    protected boolean normalize(MnistOptions options) {
        return options.normalize();
    }
}
