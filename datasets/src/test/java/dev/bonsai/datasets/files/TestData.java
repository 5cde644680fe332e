package dev.bonsai.datasets.files;

import dev.bonsai.api.data.DataFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small files with known checksums. */
final class TestData {
    private TestData() {
    }

    static String sha256(byte[] bytes) {
        return Checksums.hex(Checksums.newDigest().digest(bytes));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static DataFile file(String path, byte[] content, URI... mirrors) {
        return new DataFile(path, sha256(content), content.length, List.of(mirrors));
    }
}
