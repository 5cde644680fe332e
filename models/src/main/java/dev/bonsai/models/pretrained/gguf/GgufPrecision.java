package dev.bonsai.models.pretrained.gguf;

/** The element type {@link GgufFormat} writes a model's matrices in; norm weights are always F32. */
public enum GgufPrecision {
    /** IEEE float32: the weights exactly. */
    F32(GgmlType.F32),
    /** IEEE float16: half the size, each weight rounded to the nearest half (ties to even). */
    F16(GgmlType.F16);

    private final GgmlType type;

    GgufPrecision(GgmlType type) {
        this.type = type;
    }

    /** The ggml type written. */
    GgmlType type() {
        return type;
    }
}
