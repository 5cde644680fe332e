package dev.bonsai.models.pretrained.gguf;

/** The types of GGUF metadata values, with the ids the file stores. */
enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, 8),
    ARRAY(9, 12),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private final int id;
    private final int minBytes;

    GgufValueType(int id, int minBytes) {
        this.id = id;
        this.minBytes = minBytes;
    }

    /** The id in the file. */
    int id() {
        return id;
    }

    /** The fewest bytes a value of this type takes (a string's or array's length fields alone). */
    int minBytes() {
        return minBytes;
    }

    /** The type with id {@code id}, or {@code null}. */
    static GgufValueType ofId(long id) {
        for (GgufValueType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }
}
