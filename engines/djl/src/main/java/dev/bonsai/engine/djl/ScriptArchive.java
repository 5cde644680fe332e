package dev.bonsai.engine.djl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript module file made from source, with no Python: the zip archive that {@code torch.jit.save} writes
 * for a module of one class with no parameters, buffers or attributes but {@code training}. PyTorch compiles the
 * class from its source in {@code code/__torch__.py} when it loads the archive.
 *
 * <p>The archive holds, under one top-level folder, {@code version} (serialization format 3, the format
 * {@code torch.jit.save} writes when no operator needs a later one), {@code constants.pkl} (an empty tuple),
 * {@code code/__torch__.py} (the class source) and {@code data.pkl} (a pickle of one object of the class with
 * {@code training = True}). Entries are stored uncompressed, as PyTorch writes them.
 */
final class ScriptArchive {
    private static final String FOLDER = "archive/";

    private ScriptArchive() {
    }

    /**
     * The module file for an object of class {@code __torch__.<className>} defined by {@code source} (TorchScript
     * in the serialized form, a {@code class <className>(Module):} block).
     */
    static byte[] of(String className, String source) {
        if (!className.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("a TorchScript class name must be an identifier, got '" + className
                    + "'");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setMethod(ZipOutputStream.STORED);
            add(zip, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
            add(zip, "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            add(zip, "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            add(zip, "data.pkl", objectPickle(className));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a TorchScript archive in memory", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Pickle protocol 2 for {@code __torch__.<className>()} with state {@code {"training": True}}: GLOBAL, EMPTY_TUPLE,
     * NEWOBJ, EMPTY_DICT, MARK, BINUNICODE key, NEWTRUE, SETITEMS, BUILD, STOP.
     */
    private static byte[] objectPickle(String className) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80);
        out.write(2);
        out.write('c');
        out.writeBytes(("__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
        out.write(')');
        out.write(0x81);
        out.write('}');
        out.write('(');
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        out.write('X');
        for (int shift = 0; shift < 32; shift += 8) {
            out.write(key.length >>> shift);
        }
        out.writeBytes(key);
        out.write(0x88);
        out.write('u');
        out.write('b');
        out.write('.');
        return out.toByteArray();
    }

    private static void add(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(FOLDER + name);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        entry.setCrc(crc.getValue());
        entry.setTime(0);
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
