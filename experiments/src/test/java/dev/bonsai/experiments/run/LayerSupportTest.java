package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.engine.Availability;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LayerSupportTest {
    private static final ComputeEngine<NoOptions> DENSE_ONLY = engine("dense-only",
            Set.of(LayerSpec.Dense.class, LayerSpec.Residual.class));
    private static final ComputeEngine<NoOptions> NORMS = engine("norms",
            Set.of(LayerSpec.Dense.class, LayerSpec.Residual.class, LayerSpec.LayerNorm.class));
    private static final ComputeEngine<NoOptions> ALSO_NORMS = engine("also-norms",
            Set.of(LayerSpec.Dense.class, LayerSpec.LayerNorm.class));

    private static final ModelSpec NESTED = new ModelSpec("nested", Shape.of(4), List.of(
            new LayerSpec.Dense("fc", 4, true),
            new LayerSpec.Residual("res", List.of(new LayerSpec.LayerNorm("inner-norm", 1e-5))),
            new LayerSpec.Dense("out", 2, true)));

    @Test
    void aLayerInsideAResidualBodyIsCheckedAndTheEnginesThatRunItAreNamed() {
        assertThatThrownBy(() -> LayerSupport.check(DENSE_ONLY, NESTED, List.of(DENSE_ONLY, NORMS, ALSO_NORMS)))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining("engine 'dense-only' cannot run layer 'inner-norm' (layernorm)")
                .hasMessageContaining("engines that run it: also-norms, norms");
    }

    @Test
    void aLayerNoEngineRunsSaysSo() {
        assertThatThrownBy(() -> LayerSupport.check(DENSE_ONLY, NESTED, List.of(DENSE_ONLY)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("no engine here runs layernorm layers");
    }

    @Test
    void aModelEveryLayerOfWhichRunsPasses() {
        assertThatCode(() -> LayerSupport.check(NORMS, NESTED, List.of(DENSE_ONLY, NORMS))).doesNotThrowAnyException();
    }

    private static ComputeEngine<NoOptions> engine(String id, Set<Class<? extends LayerSpec>> layers) {
        return new ComputeEngine<>() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String description() {
                return id;
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
            public int rank() {
                return 1;
            }

            @Override
            public List<String> devices() {
                return List.of("cpu");
            }

            @Override
            public Availability availability(String device) {
                return Availability.yes();
            }

            @Override
            public Set<Class<? extends LayerSpec>> supportedLayers() {
                return layers;
            }

            @Override
            public EngineRuntime create(NoOptions options) {
                throw new UnsupportedOperationException("not loaded in this test");
            }
        };
    }
}
