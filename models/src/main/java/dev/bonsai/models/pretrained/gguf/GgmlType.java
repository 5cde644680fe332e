package dev.bonsai.models.pretrained.gguf;

/**
 * The element types ggml stores tensors in, with their GGUF ids and block layouts ({@code blockSize} elements in
 * {@code blockBytes} bytes). Only {@link #F32}, {@link #F16}, {@link #BF16} and {@link #Q8_0} can be turned into
 * floats here; the others are listed so that a file holding them is refused by name.
 */
enum GgmlType {
    F32(0, 1, 4, true),
    F16(1, 1, 2, true),
    Q4_0(2, 32, 18, false),
    Q4_1(3, 32, 20, false),
    Q5_0(6, 32, 22, false),
    Q5_1(7, 32, 24, false),
    Q8_0(8, 32, 34, true),
    Q8_1(9, 32, 36, false),
    Q2_K(10, 256, 84, false),
    Q3_K(11, 256, 110, false),
    Q4_K(12, 256, 144, false),
    Q5_K(13, 256, 176, false),
    Q6_K(14, 256, 210, false),
    Q8_K(15, 256, 292, false),
    IQ2_XXS(16, 256, 66, false),
    IQ2_XS(17, 256, 74, false),
    IQ3_XXS(18, 256, 98, false),
    IQ1_S(19, 256, 50, false),
    IQ4_NL(20, 32, 18, false),
    IQ3_S(21, 256, 110, false),
    IQ2_S(22, 256, 82, false),
    IQ4_XS(23, 256, 136, false),
    I8(24, 1, 1, false),
    I16(25, 1, 2, false),
    I32(26, 1, 4, false),
    I64(27, 1, 8, false),
    F64(28, 1, 8, false),
    IQ1_M(29, 256, 56, false),
    BF16(30, 1, 2, true),
    TQ1_0(34, 256, 54, false),
    TQ2_0(35, 256, 66, false);

    private final int id;
    private final int blockSize;
    private final int blockBytes;
    private final boolean decodable;

    GgmlType(int id, int blockSize, int blockBytes, boolean decodable) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
        this.decodable = decodable;
    }

    /** The id GGUF tensor infos store. */
    int id() {
        return id;
    }

    /** The elements in one block. */
    int blockSize() {
        return blockSize;
    }

    /** The bytes of one block. */
    int blockBytes() {
        return blockBytes;
    }

    /** Whether this reader turns the type into floats. */
    boolean decodable() {
        return decodable;
    }

    /** The type with GGUF id {@code id}, or {@code null} when ggml has no such type (or it was retired). */
    static GgmlType ofId(long id) {
        for (GgmlType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }
}
