package dev.bonsai.datasets.fashion;

import dev.bonsai.api.Spi;
import dev.bonsai.datasets.idx.IdxImageDatasetProvider;
import dev.bonsai.datasets.idx.IdxImageFiles;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017; Zalando SE, MIT licence): 60,000 training and 10,000 test grey-scale
 * images of clothing, 28 × 28 pixels in 10 classes, in MNIST's IDX layout. A drop-in replacement for {@code mnist}:
 * samples have shape {@code [1, 28, 28]}.
 */
public final class FashionMnistProvider extends IdxImageDatasetProvider<FashionMnistOptions> {
    /** The dataset id. */
    public static final String ID = "fashion-mnist";
    /** The mean of the training pixels on the {@code [0, 1]} scale. */
    public static final double MEAN = 0.2860;
    /** The standard deviation of the training pixels on the {@code [0, 1]} scale. */
    public static final double STD = 0.3530;
    /** Public mirrors of the original files, tried in order. */
    public static final List<String> MIRRORS = List.of(
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/");

    /** The four original files, with their SHA-256 and sizes. */
    public static final IdxImageFiles FILES = new IdxImageFiles(
            IdxImageFiles.file("train-images-idx3-ubyte.gz",
                    "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84", 26_421_880L, MIRRORS),
            IdxImageFiles.file("train-labels-idx1-ubyte.gz",
                    "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845", 29_515L, MIRRORS),
            IdxImageFiles.file("t10k-images-idx3-ubyte.gz",
                    "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073", 4_422_102L, MIRRORS),
            IdxImageFiles.file("t10k-labels-idx1-ubyte.gz",
                    "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5", 5_148L, MIRRORS));

    /** The provider (for {@link java.util.ServiceLoader}). */
    public FashionMnistProvider() {
        super(FILES, 28, 28, 10, MEAN, STD);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Fashion-MNIST clothing images: 60,000 train + 10,000 test images, 1×28×28, 10 classes";
    }

    @Override
    public Class<FashionMnistOptions> optionsType() {
        return FashionMnistOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    protected boolean normalize(FashionMnistOptions options) {
        return options.normalize();
    }
}
