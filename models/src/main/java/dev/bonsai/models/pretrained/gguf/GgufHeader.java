package dev.bonsai.models.pretrained.gguf;

import java.nio.file.Path;
import java.util.List;

/**
 * What a GGUF file says before its tensor data: version, metadata, tensor infos and where the data start.
 *
 * @param file      the file, for messages
 * @param version   the GGUF version (2 or 3)
 * @param metadata  the key/value metadata
 * @param tensors   the tensor infos, in file order
 * @param alignment the data alignment in bytes ({@code general.alignment}, 32 when absent)
 * @param dataStart the byte position of the data section in the file
 * @param fileSize  the file's length in bytes
 */
record GgufHeader(Path file, int version, GgufMetadata metadata, List<GgufTensorInfo> tensors, int alignment,
                  long dataStart, long fileSize) {

    GgufHeader {
        tensors = List.copyOf(tensors);
    }

    /** The position in the file of {@code tensor}'s first byte. */
    long position(GgufTensorInfo tensor) {
        return dataStart + tensor.offset();
    }
}
