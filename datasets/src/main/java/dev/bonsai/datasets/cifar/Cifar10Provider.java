package dev.bonsai.datasets.cifar;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.Shape;
import dev.bonsai.datasets.KnownFile;
import dev.bonsai.datasets.KnownFiles;
import dev.bonsai.datasets.files.TarGzReader;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * CIFAR-10 (Krizhevsky, 2009), binary version: 50,000 training and 10,000 test colour images of 32 × 32 pixels in 10
 * classes. Samples have shape {@code [3, 32, 32]} (channel-major: red, green, blue planes).
 *
 * <p>The verified unit is the official archive {@code cifar-10-binary.tar.gz} (170,052,171 bytes; SHA-256
 * {@code c4a38c50…a1dd}, which agrees with the official MD5 {@code c32a1d4a…7530}). Its members
 * {@code cifar-10-batches-bin/data_batch_1.bin} … {@code data_batch_5.bin} (training, in that order) and
 * {@code test_batch.bin} are read straight from the verified archive, without extracting anything to disk; each is a
 * sequence of 3,073-byte records (a label byte 0–9, then 3 × 1,024 pixel bytes). An already-extracted folder is not
 * used, because no first-party checksums of the members exist to verify it against.
 *
 * <p>Pixels are held as bytes (150 MB for the training set, a quarter of the floats) and decoded through a
 * 256-entry table per channel when a batch is read. Training-time augmentation (the usual
 * random crop with padding 4 and horizontal flip) is asked for in the descriptor's training section,
 * {@code train: {augment: {shift: 4, flip: true}}}, and padded with {@link #blackLevel black}.
 */
public final class Cifar10Provider implements DatasetProvider<Cifar10Options>, KnownFiles {
    /** The dataset id. */
    public static final String ID = "cifar-10";
    /** The folder inside the archive. */
    public static final String MEMBER_FOLDER = "cifar-10-batches-bin/";
    /** Bytes per record: a label and 3 × 32 × 32 pixels. */
    public static final int RECORD = 1 + 3 * 32 * 32;
    /** The per-channel mean of the training pixels on the {@code [0, 1]} scale. */
    public static final double[] MEAN = {0.4914, 0.4822, 0.4465};
    /** The per-channel standard deviation of the training pixels on the {@code [0, 1]} scale. */
    public static final double[] STD = {0.2470, 0.2435, 0.2616};
    /** The class names, by label. */
    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    /** The official archive. */
    public static final DataFile ARCHIVE = new DataFile("cifar-10-binary.tar.gz",
            "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd", 170_052_171L,
            List.of(URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")));
    private static final List<String> TRAIN_MEMBERS = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    private static final String TEST_MEMBER = "test_batch.bin";
    private static final Shape SAMPLE = Shape.of(3, 32, 32);
    private static final int PIXELS = 3 * 32 * 32;
    private static final int PLANE = 32 * 32;
    private static final Logger LOG = LogManager.getLogger(Cifar10Provider.class);

    private final DataFile archive;

    /** The provider (for {@link java.util.ServiceLoader}). */
    public Cifar10Provider() {
        this(ARCHIVE);
    }

    /** A provider of another archive of the same layout (tests). */
    Cifar10Provider(DataFile archive) {
        this.archive = archive;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "CIFAR-10 colour images (binary version): 50,000 train + 10,000 test images, 3×32×32, 10 classes";
    }

    @Override
    public Class<Cifar10Options> optionsType() {
        return Cifar10Options.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public List<DataFile> files(Cifar10Options options) {
        return List.of(archive);
    }

    @Override
    public List<KnownFile> knownFiles() {
        return List.of(new KnownFile(ID, archive, false));
    }

    /** A black pixel's value in each channel, as loaded with these options (what image augmentation pads with). */
    @Override
    public Optional<float[]> blackLevel(Cifar10Options options) {
        float[][] tables = tables(options.normalize());
        return Optional.of(new float[] {tables[0][0], tables[1][0], tables[2][0]});
    }

    @Override
    public Dataset load(Cifar10Options options, DataFiles files) {
        long started = System.nanoTime();
        Path path = files.resolve(ID, archive);
        Map<String, byte[]> members = new TreeMap<>();
        TarGzReader.read(path, (name, size, in) -> {
            if (!name.startsWith(MEMBER_FOLDER)) {
                return;
            }
            String member = name.substring(MEMBER_FOLDER.length());
            if (!TRAIN_MEMBERS.contains(member) && !TEST_MEMBER.equals(member)) {
                return;
            }
            if (size % RECORD != 0 || size == 0) {
                throw new BonsaiException("CIFAR-10 file " + name + " in " + path + " holds " + size + " bytes: "
                        + "expected a positive whole number of " + RECORD + "-byte records (1 label byte + 3072 "
                        + "pixel bytes; 30,730,000 bytes for 10,000 records), found " + size / RECORD
                        + " records and " + size % RECORD + " bytes left over");
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new BonsaiException("CIFAR-10 file " + name + " in " + path + " is too large: " + size);
            }
            members.put(member, in.readNBytes((int) size));
        });
        List<String> missing = new ArrayList<>();
        for (String m : TRAIN_MEMBERS) {
            if (!members.containsKey(m)) {
                missing.add(MEMBER_FOLDER + m);
            }
        }
        if (!members.containsKey(TEST_MEMBER)) {
            missing.add(MEMBER_FOLDER + TEST_MEMBER);
        }
        if (!missing.isEmpty()) {
            throw new BonsaiException("CIFAR-10 archive " + path + " lacks " + String.join(", ", missing)
                    + " (found: " + (members.isEmpty() ? "none of the expected members" : members.keySet()) + ")");
        }
        float[][] tables = tables(options.normalize());
        List<byte[]> train = new ArrayList<>();
        List<String> trainNames = new ArrayList<>();
        for (String m : TRAIN_MEMBERS) {
            train.add(members.remove(m));
            trainNames.add(m);
        }
        Split trainSplit = decode("train", train, trainNames, tables, path);
        train.clear();
        List<byte[]> test = new ArrayList<>();
        test.add(members.remove(TEST_MEMBER));
        Split testSplit = decode("test", test, List.of(TEST_MEMBER), tables, path);
        Map<String, String> sha256 = new LinkedHashMap<>();
        sha256.put(archive.path(), archive.sha256());
        LOG.info("Loaded {}: {} training and {} test images of shape {} in {} ms", ID, trainSplit.size(),
                testSplit.size(), SAMPLE, (System.nanoTime() - started) / 1_000_000);
        return new Dataset(new DatasetInfo(ID, SAMPLE, 10, sha256), trainSplit, Optional.empty(), testSplit);
    }

    /** The float value of each pixel byte, per channel. */
    static float[][] tables(boolean normalize) {
        float[][] tables = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                double x = v / 255.0;
                tables[c][v] = (float) (normalize ? (x - MEAN[c]) / STD[c] : x);
            }
        }
        return tables;
    }

    /** Decodes the parts in order; each part's bytes are released (set to null in {@code parts}) once decoded. */
    private static Split decode(String name, List<byte[]> parts, List<String> names, float[][] tables, Path path) {
        long records = 0;
        for (byte[] p : parts) {
            records += p.length / RECORD;
        }
        if (records * PIXELS > Integer.MAX_VALUE - 8) {
            throw new BonsaiException("CIFAR-10 archive " + path + " holds too many records: " + records);
        }
        int n = (int) records;
        byte[] pixels = new byte[n * PIXELS];
        int[] labels = new int[n];
        int sample = 0;
        for (int p = 0; p < parts.size(); p++) {
            byte[] bytes = parts.get(p);
            if (bytes == null) {
                continue;
            }
            int count = bytes.length / RECORD;
            for (int r = 0; r < count; r++) {
                int offset = r * RECORD;
                int label = bytes[offset] & 0xFF;
                if (label >= 10) {
                    throw new BonsaiException("CIFAR-10 file " + MEMBER_FOLDER + names.get(p) + " in " + path
                            + ": record " + r + " (byte " + offset + ") has label " + label
                            + ", expected 0–9. The file is corrupt or not CIFAR-10's binary version.");
                }
                labels[sample] = label;
                System.arraycopy(bytes, offset + 1, pixels, sample * PIXELS, PIXELS);
                sample++;
            }
            parts.set(p, null); // decoded: let the bytes go before the next part
        }
        return Split.ofBytes(name, SAMPLE, pixels, labels, tables);
    }
}
