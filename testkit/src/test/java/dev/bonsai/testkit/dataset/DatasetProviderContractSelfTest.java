package dev.bonsai.testkit.dataset;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The dataset-provider contract, run on a minimal provider of "x,y,label" lines. */
class DatasetProviderContractSelfTest extends DatasetProviderContract<NoOptions> {
    private static final DataFile TRAIN = new DataFile("train.txt", null, 0, List.of());
    private static final DataFile TEST = new DataFile("test.txt", null, 0, List.of());

    @Override
    protected DatasetProvider<NoOptions> provider() {
        return new DatasetProvider<>() {
            @Override
            public String id() {
                return "points";
            }

            @Override
            public String description() {
                return "Points in the plane, two classes";
            }

            @Override
            public Class<NoOptions> optionsType() {
                return NoOptions.class;
            }

            @Override
            public int spiVersion() {
                return Spi.VERSION;
            }

            @Override
            public List<DataFile> files(NoOptions options) {
                return List.of(TRAIN, TEST);
            }

            @Override
            public Dataset load(NoOptions options, DataFiles files) {
                return new Dataset(new DatasetInfo("points", Shape.of(2), 2, Map.of()),
                        split("train", files.resolve("points", TRAIN)), Optional.empty(),
                        split("test", files.resolve("points", TEST)));
            }
        };
    }

    private static Split split(String name, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new BonsaiException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new BonsaiException(file.getFileName() + " holds no points");
        }
        float[] x = new float[lines.size() * 2];
        int[] y = new int[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            x[2 * i] = Float.parseFloat(f[0]);
            x[2 * i + 1] = Float.parseFloat(f[1]);
            y[i] = Integer.parseInt(f[2]);
        }
        return new Split(name, Shape.of(2), x, y);
    }

    @Override
    protected void fixture(Path folder) throws IOException {
        Files.writeString(folder.resolve("train.txt"), "0,0,0\n1,1,1\n0.5,0.2,0\n");
        Files.writeString(folder.resolve("test.txt"), "0.9,0.8,1\n");
    }
}
