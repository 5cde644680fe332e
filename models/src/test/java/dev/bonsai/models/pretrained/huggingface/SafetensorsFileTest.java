package dev.bonsai.models.pretrained.huggingface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** safetensors files: the byte layout read independently, round trips in each dtype, and refusals naming the file. */
class SafetensorsFileTest {
    @TempDir
    Path dir;

    private Path twoTensors(SafetensorsDtype dtype) throws Exception {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put("a", Shape.of(2, 3));
        shapes.put("b", Shape.of(4));
        Path file = dir.resolve("t-" + dtype + ".safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(file, shapes, dtype, Map.of("format", "pt"))) {
            w.write("a", new Tensor(Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, 6}));
            w.write("b", new Tensor(Shape.of(4), new float[] {-1, 0.5f, 0.25f, 1024}));
        }
        return file;
    }

    @Test
    void layoutIsTheSafetensorsOne() throws Exception {
        Path file = twoTensors(SafetensorsDtype.F16);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong();
        assertThat(n % 8).isZero();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8).strip();
        assertThat(header).contains("\"a\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,12]}")
                .contains("\"b\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[12,20]}")
                .contains("\"__metadata__\":{\"format\":\"pt\"}");
        assertThat(bytes).hasSize((int) (8 + n + 20));
        // element a[0][1] = 2.0 is half 0x4000, little-endian at data byte 2
        assertThat(bytes[(int) (8 + n + 2)]).isEqualTo((byte) 0x00);
        assertThat(bytes[(int) (8 + n + 3)]).isEqualTo((byte) 0x40);
    }

    @Test
    void eachDtypeRoundTrips() throws Exception {
        for (SafetensorsDtype d : SafetensorsDtype.values()) {
            try (SafetensorsFile f = SafetensorsFile.open(twoTensors(d))) {
                assertThat(f.entries().keySet()).containsExactly("a", "b");
                assertThat(f.entries().get("a").dtype()).isEqualTo(d);
                assertThat(f.metadata()).containsEntry("format", "pt");
                assertThat(f.read("a").data()).containsExactly(1, 2, 3, 4, 5, 6);
                assertThat(f.read("b").data()).containsExactly(-1, 0.5f, 0.25f, 1024);
                assertThat(f.read("b").shape()).isEqualTo(Shape.of(4));
            }
        }
    }

    @Test
    void aTruncatedFileIsRefusedNamingIt() throws Exception {
        Path file = twoTensors(SafetensorsDtype.F32);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.truncate(c.size() - 3);
        }
        assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("truncated").hasMessageContaining("'b'");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafetensorsFile.open(file)).hasMessageContaining("truncated");
    }

    private Path withHeader(String json, int dataBytes) throws Exception {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path file = dir.resolve("crafted.safetensors");
        Files.write(file, b.array());
        return file;
    }

    @Test
    void unsupportedDtypesGapsAndWrongSizesAreRefused() throws Exception {
        Path i8 = withHeader("{\"x\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2);
        assertThatThrownBy(() -> SafetensorsFile.open(i8)).hasMessageContaining(i8.toString())
                .hasMessageContaining("dtype I8").hasMessageContaining("F32, F16 and BF16");
        Path gap = withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
        assertThatThrownBy(() -> SafetensorsFile.open(gap)).hasMessageContaining("without gaps");
        Path size = withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
        assertThatThrownBy(() -> SafetensorsFile.open(size)).hasMessageContaining("needs 12 bytes");
        Path notJson = withHeader("{\"x\":", 0);
        assertThatThrownBy(() -> SafetensorsFile.open(notJson)).hasMessageContaining("not valid JSON");
    }

    @Test
    void theWriterChecksOrderShapeAndCompleteness() throws Exception {
        Path file = dir.resolve("w.safetensors");
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put("a", Shape.of(2));
        shapes.put("b", Shape.of(2));
        SafetensorsWriter w = SafetensorsWriter.create(file, shapes, SafetensorsDtype.F32, Map.of());
        assertThatThrownBy(() -> w.write("b", new Tensor(Shape.of(2), new float[2])))
                .hasMessageContaining("'a' was announced");
        assertThatThrownBy(() -> w.write("a", new Tensor(Shape.of(1, 2), new float[2])))
                .hasMessageContaining("shape");
        w.write("a", new Tensor(Shape.of(2), new float[2]));
        assertThatThrownBy(w::close).hasMessageContaining("incomplete").hasMessageContaining("'b'");
        assertThatThrownBy(() -> SafetensorsWriter.create(file, shapes, SafetensorsDtype.F32, Map.of()))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }
}
