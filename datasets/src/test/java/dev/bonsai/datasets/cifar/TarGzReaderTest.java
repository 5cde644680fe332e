package dev.bonsai.datasets.cifar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.datasets.files.TarGzReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsLongNamesPaxPathsAndSkipsOtherEntries() throws IOException {
        String longName = "x/".repeat(70) + "long.bin";
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TarWriter.entry(tar, "././@LongLink", 'L', (longName + "\0").getBytes(StandardCharsets.UTF_8));
        TarWriter.entry(tar, "truncated-name", '0', "abc".getBytes(StandardCharsets.UTF_8));
        TarWriter.entry(tar, "link", '2', new byte[0]);
        String record = "path=pax/name.txt\n";
        String pax = (record.length() + 3) + " " + record;
        TarWriter.entry(tar, "PaxHeader", 'x', pax.getBytes(StandardCharsets.UTF_8));
        TarWriter.entry(tar, "short", '0', new byte[700]);
        TarWriter.entry(tar, "plain.txt", '0', "hi".getBytes(StandardCharsets.UTF_8));
        tar.writeBytes(new byte[1024]);
        Path file = Files.write(dir.resolve("a.tar"), tar.toByteArray());

        List<String> seen = new ArrayList<>();
        TarGzReader.read(file, (name, size, in) -> seen.add(name + ":" + size + ":" + (size < 10
                ? new String(in.readAllBytes(), StandardCharsets.UTF_8) : "")));

        assertThat(seen).containsExactly(longName + ":3:abc", "pax/name.txt:700:", "plain.txt:2:hi");
    }

    @Test
    void aMemberCutShortIsNamed() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TarWriter.entry(tar, "big.bin", '0', new byte[5000]);
        byte[] cut = java.util.Arrays.copyOf(tar.toByteArray(), 512 + 1000);
        Path file = Files.write(dir.resolve("cut.tar"), cut);

        assertThatThrownBy(() -> TarGzReader.read(file, (name, size, in) -> in.readAllBytes()))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("cut.tar").hasMessageContaining("big.bin")
                .hasMessageContaining("truncated");
    }
}
