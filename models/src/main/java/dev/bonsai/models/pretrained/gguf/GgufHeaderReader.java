package dev.bonsai.models.pretrained.gguf;

import dev.bonsai.api.BonsaiException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a GGUF header (versions 2 and 3, little-endian) from a memory-mapped file: magic, version, counts, the
 * metadata key/values, the tensor infos, and the aligned start of the data. Every length is checked against the
 * bytes left before it is used, so a truncated or corrupt file is refused with the position and the field that ran
 * past the end, and no tensor data is touched. Tensor offsets and sizes are checked against the file's length.
 */
final class GgufHeaderReader {
    /** "GGUF" read as a little-endian 32-bit integer. */
    static final int MAGIC = 0x46554747;
    /** The alignment when {@code general.alignment} is absent. */
    static final int DEFAULT_ALIGNMENT = 32;
    /** The metadata key that sets the alignment. */
    static final String ALIGNMENT_KEY = "general.alignment";
    /** ggml's largest tensor rank. */
    private static final int MAX_DIMS = 4;

    private final Path file;
    private final ByteBuffer buffer;
    private final long fileSize;

    private GgufHeaderReader(Path file, ByteBuffer buffer, long fileSize) {
        this.file = file;
        this.buffer = buffer.order(ByteOrder.LITTLE_ENDIAN);
        this.fileSize = fileSize;
    }

    /** The header of the GGUF file open on {@code channel}. */
    static GgufHeader read(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, Integer.MAX_VALUE));
        return new GgufHeaderReader(file, mapped, size).header();
    }

    /** Whether {@code start} (at least 8 bytes of a file) begins with the GGUF magic. */
    static boolean hasMagic(ByteBuffer start) {
        return start.remaining() >= 4 && start.order(ByteOrder.LITTLE_ENDIAN).getInt(start.position()) == MAGIC;
    }

    private GgufHeader header() {
        need(4, "the magic number");
        int magic = buffer.getInt();
        if (magic != MAGIC) {
            throw error("it does not start with the GGUF magic bytes 'GGUF'; it is not a GGUF file");
        }
        need(4, "the version");
        int version = buffer.getInt();
        if (version == 2 || version == 3) {
            return body(version);
        }
        if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3) {
            throw error("it is a big-endian GGUF file; this reader takes little-endian files (llama.cpp writes"
                    + " them by default): convert it, for example with gguf-py's gguf_convert_endian.py");
        }
        throw error("it has GGUF version " + Integer.toUnsignedString(version) + "; this reader takes versions 2"
                + " and 3 (version 1 files must be converted with llama.cpp)");
    }

    private GgufHeader body(int version) {
        long tensorCount = u64("the tensor count");
        long kvCount = u64("the metadata count");
        // Each tensor info takes at least 8+4+4+8 bytes and each key/value at least 8+4+1: more than the file
        // holds means the counts are corrupt.
        if (tensorCount < 0 || kvCount < 0 || tensorCount > buffer.remaining() / 24
                || kvCount > buffer.remaining() / 13) {
            throw error("its header claims " + Long.toUnsignedString(tensorCount) + " tensors and "
                    + Long.toUnsignedString(kvCount) + " metadata entries, more than its " + fileSize
                    + " bytes can hold: it is truncated or corrupt");
        }
        Map<String, GgufValue> values = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = string("the key of metadata entry " + i);
            long typeId = u32("the type of metadata '" + key + "'");
            GgufValueType type = GgufValueType.ofId(typeId);
            if (type == null) {
                throw error("metadata '" + key + "' has value type " + typeId + ", which GGUF does not define: the"
                        + " file is corrupt or of a newer GGUF version");
            }
            if (values.put(key, value(key, type)) != null) {
                throw error("metadata key '" + key + "' appears twice: the file is corrupt");
            }
        }
        GgufMetadata metadata = new GgufMetadata(file, values);
        int alignment = alignment(metadata);
        List<GgufTensorInfo> tensors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            GgufTensorInfo info = tensorInfo(i, alignment);
            if (!names.add(info.name())) {
                throw error("tensor '" + info.name() + "' appears twice: the file is corrupt");
            }
            tensors.add(info);
        }
        long dataStart = align(buffer.position(), alignment);
        for (GgufTensorInfo t : tensors) {
            long end = dataStart + t.offset() + t.bytes();
            if (dataStart + t.offset() > fileSize || end > fileSize) {
                throw error("tensor '" + t.name() + "' (" + t.type() + " " + t.neText() + ") spans bytes "
                        + (dataStart + t.offset()) + " to " + end + " but the file has " + fileSize
                        + " bytes: it is truncated or its offsets are corrupt");
            }
        }
        return new GgufHeader(file, version, metadata, tensors, alignment, dataStart, fileSize);
    }

    private int alignment(GgufMetadata metadata) {
        long alignment = metadata.optionalInteger(ALIGNMENT_KEY).orElse(DEFAULT_ALIGNMENT);
        if (alignment <= 0 || alignment > (1 << 20) || Long.bitCount(alignment) != 1) {
            throw error("'" + ALIGNMENT_KEY + "' is " + alignment + "; it must be a power of two");
        }
        return (int) alignment;
    }

    private GgufTensorInfo tensorInfo(long index, int alignment) {
        String name = string("the name of tensor " + index);
        long dims = u32("the rank of tensor '" + name + "'");
        if (dims < 1 || dims > MAX_DIMS) {
            throw error("tensor '" + name + "' has " + dims + " dimensions; ggml tensors have 1 to " + MAX_DIMS);
        }
        long[] ne = new long[(int) dims];
        long elements = 1;
        for (int d = 0; d < dims; d++) {
            ne[d] = u64("dimension " + d + " of tensor '" + name + "'");
            if (ne[d] <= 0 || ne[d] > Integer.MAX_VALUE) {
                throw error("tensor '" + name + "' has dimension " + d + " of " + Long.toUnsignedString(ne[d])
                        + "; dimensions must be positive and below 2^31");
            }
            elements *= ne[d];
            if (elements > Integer.MAX_VALUE) {
                throw error("tensor '" + name + "' has more than 2^31 elements, more than one Java array holds");
            }
        }
        long typeId = u32("the type of tensor '" + name + "'");
        GgmlType type = GgmlType.ofId(typeId);
        if (type == null) {
            throw error("tensor '" + name + "' has type id " + typeId + ", which ggml does not define (or retired):"
                    + " the file is corrupt or newer than this reader");
        }
        long offset = u64("the data offset of tensor '" + name + "'");
        if (offset < 0 || offset % alignment != 0) {
            throw error("tensor '" + name + "' starts at data offset " + Long.toUnsignedString(offset)
                    + ", not a multiple of the alignment " + alignment + ": the file is corrupt");
        }
        if (ne[0] % type.blockSize() != 0) {
            throw error("tensor '" + name + "' has rows of " + ne[0] + " elements, not a whole number of " + type
                    + " blocks of " + type.blockSize() + ": the file is corrupt");
        }
        return new GgufTensorInfo(name, ne, type, offset);
    }

    private GgufValue value(String key, GgufValueType type) {
        String what = "the value of metadata '" + key + "'";
        switch (type) {
            case ARRAY: {
                long elementId = u32("the element type of metadata '" + key + "'");
                GgufValueType elementType = GgufValueType.ofId(elementId);
                if (elementType == null) {
                    throw error("metadata '" + key + "' is an array of type " + elementId + ", which GGUF does not"
                            + " define: the file is corrupt");
                }
                long count = u64("the length of metadata '" + key + "'");
                if (count < 0 || count > buffer.remaining() / elementType.minBytes()) {
                    throw error("metadata '" + key + "' claims " + Long.toUnsignedString(count) + " elements, more"
                            + " than the " + buffer.remaining() + " bytes left can hold: the file is truncated or"
                            + " corrupt");
                }
                if (elementType == GgufValueType.ARRAY) {
                    throw error("metadata '" + key + "' is an array of arrays, which this reader does not take");
                }
                List<Object> list = new ArrayList<>((int) count);
                for (long i = 0; i < count; i++) {
                    list.add(scalar(key + "[" + i + "]", elementType));
                }
                return GgufValue.array(elementType, list);
            }
            default:
                return GgufValue.of(type, scalar(what, type));
        }
    }

    private Object scalar(String what, GgufValueType type) {
        need(type == GgufValueType.STRING ? 8 : type.minBytes(), what);
        switch (type) {
            case UINT8:
                return (long) Byte.toUnsignedInt(buffer.get());
            case INT8:
                return (long) buffer.get();
            case UINT16:
                return (long) Short.toUnsignedInt(buffer.getShort());
            case INT16:
                return (long) buffer.getShort();
            case UINT32:
                return Integer.toUnsignedLong(buffer.getInt());
            case INT32:
                return (long) buffer.getInt();
            case UINT64:
            case INT64:
                return buffer.getLong();
            case FLOAT32:
                return buffer.getFloat();
            case FLOAT64:
                return buffer.getDouble();
            case BOOL:
                return buffer.get() != 0;
            case STRING:
                return string(what);
            default:
                throw new IllegalStateException("not a scalar type: " + type);
        }
    }

    private String string(String what) {
        long length = u64("the length of " + what);
        if (length < 0 || length > buffer.remaining()) {
            throw error("the file ends inside " + what + " (a string of " + Long.toUnsignedString(length)
                    + " bytes at byte " + buffer.position() + ", " + buffer.remaining() + " bytes left): it is"
                    + " truncated or corrupt");
        }
        ByteBuffer bytes = buffer.slice(buffer.position(), (int) length);
        buffer.position(buffer.position() + (int) length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw error(what + " is not valid UTF-8: the file is corrupt");
        }
    }

    private long u32(String what) {
        need(4, what);
        return Integer.toUnsignedLong(buffer.getInt());
    }

    private long u64(String what) {
        need(8, what);
        return buffer.getLong();
    }

    private void need(int bytes, String what) {
        if (buffer.remaining() < bytes) {
            throw error("the file ends at byte " + buffer.limit() + ", inside " + what + " (at byte "
                    + buffer.position() + "): it is truncated");
        }
    }

    private static long align(long position, int alignment) {
        return (position + alignment - 1) / alignment * alignment;
    }

    private BonsaiException error(String what) {
        return new BonsaiException("GGUF file " + file + ": " + what);
    }
}
