package dev.bonsai.datasets.idx;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.Shape;
import dev.bonsai.datasets.KnownFile;
import dev.bonsai.datasets.KnownFiles;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The base of image classification datasets stored as four IDX files in the MNIST layout (MNIST,
 * Fashion-MNIST, …): grey-scale images of {@code rows × columns} unsigned bytes with one label each, a train and a
 * test split. Samples have shape {@code [1, rows, columns]}; a pixel {@code x} becomes {@code x/255}, or
 * {@code (x/255 − mean)/std} when the options ask to normalise.
 *
 * <p>A subclass names its files, image size, class count and normalisation constants, and implements
 * {@link #id()}, {@link #description()}, {@link #optionsType()}, {@link #spiVersion()} and
 * {@link #normalize(Record)}.
 *
 * @param <O> the options record
 */
public abstract class IdxImageDatasetProvider<O extends Record> implements DatasetProvider<O>, KnownFiles {
    private static final Logger LOG = LogManager.getLogger(IdxImageDatasetProvider.class);

    private final IdxImageFiles files;
    private final int rows;
    private final int columns;
    private final int classes;
    private final double mean;
    private final double std;

    /**
     * A provider of the dataset in {@code files}.
     *
     * @param files   its four files
     * @param rows    the image height
     * @param columns the image width
     * @param classes the number of classes; labels are {@code 0..classes-1}
     * @param mean    the training set's pixel mean on the {@code [0, 1]} scale, for normalisation
     * @param std     the training set's pixel standard deviation on the {@code [0, 1]} scale, for normalisation
     */
    protected IdxImageDatasetProvider(IdxImageFiles files, int rows, int columns, int classes, double mean,
            double std) {
        this.files = Objects.requireNonNull(files);
        if (rows <= 0 || columns <= 0 || classes <= 0 || !(std > 0)) {
            throw new IllegalArgumentException("rows, columns, classes and std must be positive");
        }
        this.rows = rows;
        this.columns = columns;
        this.classes = classes;
        this.mean = mean;
        this.std = std;
    }

    /** Whether {@code options} ask for mean/std normalisation rather than plain scaling to {@code [0, 1]}. */
    protected abstract boolean normalize(O options);

    /** The shape of one sample: {@code [1, rows, columns]}. */
    public final Shape sampleShape() {
        return Shape.of(1, rows, columns);
    }

    /** The number of classes. */
    public final int classes() {
        return classes;
    }

    /** The four files. */
    public final IdxImageFiles idxFiles() {
        return files;
    }

    @Override
    public final List<DataFile> files(O options) {
        return files.all();
    }

    @Override
    public List<KnownFile> knownFiles() {
        List<KnownFile> out = new ArrayList<>();
        for (DataFile file : files.all()) {
            out.add(new KnownFile(id(), file, false));
        }
        return out;
    }

    /** A black pixel's value (raw 0), as loaded with these options (what image augmentation pads with). */
    @Override
    public Optional<float[]> blackLevel(O options) {
        return Optional.of(new float[] {pixelTable(normalize(options))[0]});
    }

    @Override
    public final Dataset load(O options, DataFiles resolver) {
        long started = System.nanoTime();
        float[] table = pixelTable(normalize(options));
        Split train = split("train", resolver, files.trainImages(), files.trainLabels(), table);
        Split test = split("test", resolver, files.testImages(), files.testLabels(), table);
        Map<String, String> sha256 = new LinkedHashMap<>();
        for (DataFile file : files.all()) {
            sha256.put(file.path(), file.sha256());
        }
        LOG.info("Loaded {}: {} training and {} test samples of shape {} in {} ms", id(), train.size(), test.size(),
                sampleShape(), (System.nanoTime() - started) / 1_000_000);
        return new Dataset(new DatasetInfo(id(), sampleShape(), classes, sha256), train, Optional.empty(), test);
    }

    /** The float value of each pixel byte. */
    private float[] pixelTable(boolean normalized) {
        float[] table = new float[256];
        for (int v = 0; v < 256; v++) {
            double x = v / 255.0;
            table[v] = (float) (normalized ? (x - mean) / std : x);
        }
        return table;
    }

    private Split split(String name, DataFiles resolver, DataFile imageFile, DataFile labelFile, float[] table) {
        Path imagePath = resolver.resolve(id(), imageFile);
        Path labelPath = resolver.resolve(id(), labelFile);
        IdxArray images = IdxReader.readImages(imagePath);
        IdxArray labels = IdxReader.readLabels(labelPath);
        if (images.dim(1) != rows || images.dim(2) != columns) {
            throw new BonsaiException("IDX file " + imagePath + " holds images of " + images.dim(1) + " × "
                    + images.dim(2) + " pixels, but " + id() + " images are " + rows + " × " + columns
                    + " (dimensions " + Arrays.toString(images.dims()) + ")");
        }
        if (images.count() != labels.count()) {
            throw new BonsaiException("The " + id() + " " + name + " split does not add up: " + imagePath + " holds "
                    + images.count() + " images but " + labelPath + " holds " + labels.count() + " labels");
        }
        int n = labels.count();
        int[] classIndex = new int[n];
        byte[] labelBytes = labels.data();
        for (int i = 0; i < n; i++) {
            int label = labelBytes[i] & 0xFF;
            if (label >= classes) {
                throw new BonsaiException("IDX file " + labelPath + ": label " + i + " is " + label + ", but " + id()
                        + " has " + classes + " classes (labels 0–" + (classes - 1) + ")");
            }
            classIndex[i] = label;
        }
        // the pixels stay bytes (a quarter of the floats they decode to), decoded through the table when read
        return Split.ofBytes(name, sampleShape(), images.data(), classIndex, new float[][] {table});
    }
}
