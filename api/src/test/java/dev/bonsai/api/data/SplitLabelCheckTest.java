package dev.bonsai.api.data;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.Shape;
import org.junit.jupiter.api.Test;

/** The label check engines run before using a split. */
class SplitLabelCheckTest {
    private static Split split(int... labels) {
        return new Split("train", Shape.of(1), new float[labels.length], labels);
    }

    @Test
    void labelsInsideTheClassesPass() {
        assertThatCode(() -> split(0, 2, 1).checkLabelsFit(3, "m")).doesNotThrowAnyException();
    }

    @Test
    void aLabelAtOrAboveTheClassCountIsNamed() {
        assertThatThrownBy(() -> split(0, 3, 1).checkLabelsFit(3, "lenet"))
                .isInstanceOf(BonsaiException.class)
                .hasMessage("the split 'train' has label 3 but model 'lenet' has 3 classes");
    }

    @Test
    void aNegativeLabelIsNamed() {
        assertThatThrownBy(() -> split(0, -1).checkLabelsFit(3, "lenet"))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("has label -1");
    }
}
