package dev.bonsai.datasets.contract;

import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.datasets.user.CsvOptions;
import dev.bonsai.datasets.user.CsvProvider;
import dev.bonsai.testkit.dataset.DatasetProviderContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The csv provider passes the contract that plugin authors' dataset providers pass. */
class CsvProviderContractTest extends DatasetProviderContract<CsvOptions> {

    @Override
    protected DatasetProvider<CsvOptions> provider() {
        return new CsvProvider();
    }

    @Override
    protected void fixture(Path folder) throws IOException {
        StringBuilder csv = new StringBuilder("x,y,label\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i * 0.5).append(',').append(-i).append(',').append(i % 3).append('\n');
        }
        Files.writeString(folder.resolve("data.csv"), csv);
    }

    @Override
    protected CsvOptions options(Path folder) {
        return new CsvOptions(folder.resolve("data.csv").toString(), Optional.empty(), "last", Optional.empty(), ",",
                0.25, false);
    }

    @Override
    protected CsvOptions options() {
        return new CsvOptions("data.csv", Optional.empty(), "last", Optional.empty(), ",", 0.25, false);
    }
}
