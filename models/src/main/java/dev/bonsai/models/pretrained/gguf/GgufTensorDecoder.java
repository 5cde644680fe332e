package dev.bonsai.models.pretrained.gguf;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.models.pretrained.HalfFloat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Turns one tensor's bytes into float32 elements in file order: {@link GgmlType#F32} as is, {@link GgmlType#F16}
 * and {@link GgmlType#BF16} widened exactly, {@link GgmlType#Q8_0} dequantised (blocks of 32: a float16 scale
 * {@code d}, then 32 signed bytes {@code q}; element {@code = d·q}).
 */
final class GgufTensorDecoder {
    private GgufTensorDecoder() {
    }

    /**
     * The elements of {@code tensor}, read from {@code data} (its bytes, from the tensor's first byte).
     *
     * @throws BonsaiException naming the file, the tensor and its type when the type cannot be decoded
     */
    static float[] decode(GgufHeader header, GgufTensorInfo tensor, ByteBuffer data) {
        ByteBuffer in = data.order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[Math.toIntExact(tensor.elements())];
        switch (tensor.type()) {
            case F32:
                in.asFloatBuffer().get(out);
                break;
            case F16:
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloat.toFloat(in.getShort(2 * i));
                }
                break;
            case BF16:
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloat.bfloat16ToFloat(in.getShort(2 * i));
                }
                break;
            case Q8_0:
                dequantizeQ8(in, out);
                break;
            default:
                throw unsupported(header, tensor);
        }
        return out;
    }

    /** The refusal of a tensor whose type this reader does not decode. */
    static BonsaiException unsupported(GgufHeader header, GgufTensorInfo tensor) {
        return new BonsaiException("GGUF file " + header.file() + ": tensor '" + tensor.name() + "' has type "
                + tensor.type() + ", which this reader does not decode (it takes F32, F16, BF16 and Q8_0). Use a"
                + " release of the model in one of those types, or convert the original weights with llama.cpp's"
                + " convert_hf_to_gguf.py --outtype f16 (or bf16, q8_0).");
    }

    private static void dequantizeQ8(ByteBuffer in, float[] out) {
        int block = GgmlType.Q8_0.blockSize();
        int bytes = GgmlType.Q8_0.blockBytes();
        for (int b = 0; b < out.length / block; b++) {
            int at = b * bytes;
            float scale = HalfFloat.toFloat(in.getShort(at));
            for (int j = 0; j < block; j++) {
                out[b * block + j] = scale * in.get(at + 2 + j);
            }
        }
    }
}
