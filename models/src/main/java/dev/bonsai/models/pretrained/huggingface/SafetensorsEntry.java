package dev.bonsai.models.pretrained.huggingface;

import dev.bonsai.api.model.Shape;

/**
 * One tensor of a safetensors header: its element type, its shape, and where its bytes lie in the data section.
 *
 * @param name  the tensor's name
 * @param dtype its element type
 * @param shape its dimensions (empty for a scalar)
 * @param begin the first byte, relative to the data section
 * @param end   one past the last byte, relative to the data section
 */
public record SafetensorsEntry(String name, SafetensorsDtype dtype, Shape shape, long begin, long end) {

    /** The number of elements. */
    public long elements() {
        return shape.size();
    }
}
