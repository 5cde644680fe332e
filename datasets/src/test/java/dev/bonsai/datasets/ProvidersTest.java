package dev.bonsai.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.options.Doc;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Every provider is registered, declares the SPI version, and documents each option. */
class ProvidersTest {
    @Test
    void everyDatasetIsRegisteredWithDocumentedOptions() {
        List<DatasetProvider<?>> providers = new java.util.ArrayList<>();
        for (DatasetProvider<?> p : ServiceLoader.load(DatasetProvider.class)) {
            providers.add(p);
        }

        assertThat(providers).extracting(DatasetProvider::id).containsExactly("mnist", "fashion-mnist", "cifar-10",
                "tinyshakespeare", "wikitext-2", "idx", "csv", "text", "tinystories", "wikitext-2-raw");
        for (DatasetProvider<?> p : providers) {
            assertThat(p.spiVersion()).as(p.id()).isEqualTo(Spi.VERSION);
            assertThat(p.description()).as(p.id()).isNotBlank();
            assertThat(p.optionsType().isAnnotationPresent(Doc.class)).as(p.id()).isTrue();
            for (RecordComponent c : p.optionsType().getRecordComponents()) {
                assertThat(c.isAnnotationPresent(Doc.class)).as(p.id() + "." + c.getName()).isTrue();
            }
            if (p instanceof KnownFiles known) {
                assertThat(known.knownFiles()).as(p.id()).isNotEmpty();
            }
        }
        assertThat(providers).filteredOn(p -> p instanceof KnownFiles).extracting(DatasetProvider::id)
                .containsExactly("mnist", "fashion-mnist", "cifar-10", "tinyshakespeare", "wikitext-2", "tinystories",
                        "wikitext-2-raw");
    }
}
