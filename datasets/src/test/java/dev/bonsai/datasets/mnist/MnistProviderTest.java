package dev.bonsai.datasets.mnist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.options.DefaultValue;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MnistProviderTest {
    @Test
    void isRegisteredAsAServiceAndDeclaresItself() {
        assertThat(ServiceLoader.load(DatasetProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(p -> assertThat(p).isInstanceOf(MnistProvider.class));
        MnistProvider mnist = new MnistProvider();
        assertThat(mnist.id()).isEqualTo("mnist");
        assertThat(mnist.spiVersion()).isEqualTo(Spi.VERSION);
        assertThat(mnist.optionsType()).isEqualTo(MnistOptions.class);
        assertThat(mnist.description()).isNotBlank();
    }

    @Test
    void declaresTheFourOriginalFiles() {
        assertThat(new MnistProvider().files(MnistOptions.defaults()))
                .extracting(DataFile::path, DataFile::size)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("train-images-idx3-ubyte.gz", 9_912_422L),
                        org.assertj.core.groups.Tuple.tuple("train-labels-idx1-ubyte.gz", 28_881L),
                        org.assertj.core.groups.Tuple.tuple("t10k-images-idx3-ubyte.gz", 1_648_877L),
                        org.assertj.core.groups.Tuple.tuple("t10k-labels-idx1-ubyte.gz", 4_542L));
        DataFile trainImages = MnistProvider.FILES.trainImages();
        assertThat(trainImages.sha256())
                .isEqualTo("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609");
        assertThat(trainImages.mirrors()).extracting(Object::toString).containsExactly(
                "https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz",
                "https://storage.googleapis.com/cvdf-datasets/mnist/train-images-idx3-ubyte.gz");
    }

    @Test
    void optionsDefaultToNormalised() throws NoSuchMethodException {
        DefaultValue normalize = MnistOptions.class.getRecordComponents()[0].getAnnotation(DefaultValue.class);
        assertThat(normalize.value()).isEqualTo("true");
        assertThat(MnistOptions.defaults().normalize()).isTrue();
    }
}
