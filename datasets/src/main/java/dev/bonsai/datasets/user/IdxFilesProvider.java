package dev.bonsai.datasets.user;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.Shape;
import dev.bonsai.datasets.idx.IdxArray;
import dev.bonsai.datasets.idx.IdxReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A user's image classification data in four IDX files (the MNIST layout, plain or gzip), with the sample shape and
 * class count given or inferred (see {@link IdxFilesOptions}). The files' SHA-256 are computed and recorded.
 */
public final class IdxFilesProvider implements DatasetProvider<IdxFilesOptions> {
    /** The dataset id. */
    public static final String ID = "idx";
    private static final Logger LOG = LogManager.getLogger(IdxFilesProvider.class);

    /** The provider (for {@link java.util.ServiceLoader}). */
    public IdxFilesProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Your own images and labels in IDX files (MNIST format): shape and classes given or inferred";
    }

    @Override
    public Class<IdxFilesOptions> optionsType() {
        return IdxFilesOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    /** None: the files are the user's, named in the options, and have no expected checksum. */
    @Override
    public List<DataFile> files(IdxFilesOptions options) {
        return List.of();
    }

    @Override
    public Dataset load(IdxFilesOptions options, DataFiles files) {
        long started = System.nanoTime();
        Path trainImagesPath = UserFiles.locate(files, "train_images", options.trainImages());
        Path trainLabelsPath = UserFiles.locate(files, "train_labels", options.trainLabels());
        Path testImagesPath = UserFiles.locate(files, "test_images", options.testImages());
        Path testLabelsPath = UserFiles.locate(files, "test_labels", options.testLabels());
        Map<String, String> sha256 = new LinkedHashMap<>();
        for (Path p : List.of(trainImagesPath, trainLabelsPath, testImagesPath, testLabelsPath)) {
            sha256.put(p.toString(), UserFiles.sha256(p));
        }
        IdxArray trainImages = IdxReader.read(trainImagesPath);
        IdxArray trainLabels = IdxReader.read(trainLabelsPath, IdxReader.LABELS_MAGIC);
        IdxArray testImages = IdxReader.read(testImagesPath);
        IdxArray testLabels = IdxReader.read(testLabelsPath, IdxReader.LABELS_MAGIC);
        Shape shape = shape(options, trainImages);
        checkShape(shape, testImages);
        checkCounts(trainImages, trainLabels);
        checkCounts(testImages, testLabels);
        int maxLabel = Math.max(max(trainLabels.data()), max(testLabels.data()));
        int classes = options.classes().orElse(maxLabel + 1);
        if (maxLabel >= classes) {
            IdxArray where = max(trainLabels.data()) == maxLabel ? trainLabels : testLabels;
            throw new BonsaiException("IDX file " + where.file() + " has label " + maxLabel + ", but classes is "
                    + classes + " (labels 0–" + (classes - 1) + ")");
        }
        float[] table = new float[256];
        double mean = 0;
        double std = 1;
        if (options.normalize()) {
            double[] moments = moments(trainImages.data());
            mean = moments[0];
            std = moments[1] > 0 ? moments[1] : 1;
        }
        for (int v = 0; v < 256; v++) {
            table[v] = (float) ((v / 255.0 - mean) / std);
        }
        Split train = split("train", trainImages, trainLabels, shape, table);
        Split test = split("test", testImages, testLabels, shape, table);
        LOG.info("Loaded {}: {} training and {} test samples of shape {}, {} classes{} in {} ms", ID, train.size(),
                test.size(), shape, classes, options.normalize()
                        ? String.format(java.util.Locale.ROOT, ", standardised (mean %.4f, std %.4f)", mean, std) : "",
                (System.nanoTime() - started) / 1_000_000);
        return new Dataset(new DatasetInfo(ID, shape, classes, sha256), train, Optional.empty(), test);
    }

    private static Shape shape(IdxFilesOptions options, IdxArray images) {
        int[] dims = images.dims();
        if (dims.length < 2) {
            throw new BonsaiException("IDX file " + images.file() + " has dimensions " + Arrays.toString(dims)
                    + ": expected a count followed by each image's dimensions (for example [n, rows, columns])");
        }
        long perImage = 1;
        for (int i = 1; i < dims.length; i++) {
            perImage *= dims[i];
        }
        Shape shape;
        if (options.shape().isPresent()) {
            shape = Shape.of(options.shape().get().stream().mapToInt(Integer::intValue).toArray());
        } else if (dims.length == 3) {
            shape = Shape.of(1, dims[1], dims[2]);
        } else {
            shape = Shape.of(Arrays.copyOfRange(dims, 1, dims.length));
        }
        if (shape.size() != perImage) {
            throw new BonsaiException("IDX file " + images.file() + " holds images of " + perImage + " values "
                    + "(dimensions " + Arrays.toString(dims) + "), but the sample shape " + shape + " has "
                    + shape.size());
        }
        return shape;
    }

    private static void checkShape(Shape shape, IdxArray images) {
        long perImage = images.count() == 0 ? 0 : images.data().length / images.count();
        if (images.rank() < 2 || perImage != shape.size()) {
            throw new BonsaiException("IDX file " + images.file() + " has dimensions "
                    + Arrays.toString(images.dims()) + ", which do not match the training images' sample shape "
                    + shape);
        }
    }

    private static void checkCounts(IdxArray images, IdxArray labels) {
        if (images.count() != labels.count()) {
            throw new BonsaiException("IDX files do not match: " + images.file() + " holds " + images.count()
                    + " images but " + labels.file() + " holds " + labels.count() + " labels");
        }
    }

    private static int max(byte[] labels) {
        int max = 0;
        for (byte b : labels) {
            max = Math.max(max, b & 0xFF);
        }
        return max;
    }

    private static double[] moments(byte[] data) {
        long[] counts = new long[256];
        for (byte b : data) {
            counts[b & 0xFF]++;
        }
        double sum = 0;
        double squares = 0;
        for (int v = 0; v < 256; v++) {
            double x = v / 255.0;
            sum += counts[v] * x;
            squares += counts[v] * x * x;
        }
        double n = Math.max(1, data.length);
        double mean = sum / n;
        return new double[] {mean, Math.sqrt(Math.max(0, squares / n - mean * mean))};
    }

    private static Split split(String name, IdxArray images, IdxArray labels, Shape shape, float[] table) {
        byte[] labelBytes = labels.data();
        int[] classIndex = new int[labelBytes.length];
        for (int i = 0; i < labelBytes.length; i++) {
            classIndex[i] = labelBytes[i] & 0xFF;
        }
        return Split.ofBytes(name, shape, images.data(), classIndex, new float[][] {table});
    }
}
