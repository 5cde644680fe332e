package dev.bonsai.reports.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpanFormatTest {

    @Test
    void eachStyleGoesThroughItsOwnFunction() {
        SpanFormat format = new SpanFormat(String::toUpperCase, t -> "`" + t + "`", t -> "_" + t + "_", "|");

        assertThat(format.write(List.of(Span.plain("a, "), Span.code("b"), Span.lineBreak(), Span.note("c"))))
                .isEqualTo("A, `b`|_c_");
        assertThat(format.write(List.of())).isEmpty();
        assertThatThrownBy(() -> Span.plain(null)).isInstanceOf(NullPointerException.class).hasMessage("text");
    }
}
