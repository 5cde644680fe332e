package dev.bonsai.models;

import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelProvider;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.PoolKind;
import java.util.ArrayList;
import java.util.List;

/**
 * A small VGG-style CNN ({@code cnn}) for CIFAR-10-sized images ({@code [3, 32, 32]}), after K. Simonyan and
 * A. Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition", ICLR 2015, with batch
 * normalisation (S. Ioffe and C. Szegedy, ICML 2015).
 *
 * <p>Layers: for each stage s = 1, 2, … of width w: {@code conv<s>a (w@3×3, padding 1, no bias) → bn<s>a → relu<s>a →
 * conv<s>b → bn<s>b → relu<s>b → pool<s> (max 2)}; then {@code flatten}, optionally {@code dropout1},
 * {@code fc1 (dense hidden) → relu_fc}, optionally {@code dropout2}, and {@code fc2 (dense classes)} (without a hidden
 * layer the classifier is {@code fc1}). Convolutions before batch norm have no bias, since the norm's shift replaces
 * it.
 */
public final class Cnn implements ModelProvider<CnnOptions> {

    /** Creates the provider; it is stateless. */
    public Cnn() {
    }

    @Override
    public String id() {
        return "cnn";
    }

    @Override
    public String description() {
        return "Small VGG-style CNN with batch norm for 32×32 colour images (CIFAR-10); configurable stage widths";
    }

    @Override
    public Class<CnnOptions> optionsType() {
        return CnnOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public ModelSpec build(CnnOptions options, DatasetInfo data) {
        List<LayerSpec> layers = new ArrayList<>();
        int s = 1;
        for (int width : options.widths()) {
            for (String half : new String[] {"a", "b"}) {
                layers.add(new LayerSpec.Conv2d("conv" + s + half, width, 3, 1, 1, false));
                layers.add(new LayerSpec.BatchNorm("bn" + s + half, 0.1, 1e-5));
                layers.add(new LayerSpec.Activate("relu" + s + half, Activation.RELU));
            }
            layers.add(new LayerSpec.Pool2d("pool" + s, PoolKind.MAX, 2, 2));
            s++;
        }
        layers.add(new LayerSpec.Flatten("flatten"));
        int fc = 1;
        if (options.hidden() > 0) {
            if (options.dropout() > 0) {
                layers.add(new LayerSpec.Dropout("dropout1", options.dropout()));
            }
            layers.add(new LayerSpec.Dense("fc1", options.hidden(), true));
            layers.add(new LayerSpec.Activate("relu_fc", Activation.RELU));
            fc = 2;
        }
        if (options.dropout() > 0) {
            layers.add(new LayerSpec.Dropout("dropout" + fc, options.dropout()));
        }
        layers.add(new LayerSpec.Dense("fc" + fc, data.classes(), true));
        return new ModelSpec(id(), data.sampleShape(), layers);
    }
}
