package dev.bonsai.models.pretrained;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The {@link ModelFormat}s on the class path ({@code META-INF/services/dev.bonsai.models.pretrained.ModelFormat}):
 * by id, or the one that recognises a path.
 */
public final class ModelFormats {

    private ModelFormats() {
    }

    /** Every format found, in service order. */
    public static List<ModelFormat> all() {
        List<ModelFormat> list = new ArrayList<>();
        ServiceLoader.load(ModelFormat.class, ModelFormats.class.getClassLoader()).forEach(list::add);
        return list;
    }

    /** The ids of {@link #all()}, comma-separated, for messages. */
    public static String ids() {
        return all().stream().map(ModelFormat::id).collect(Collectors.joining(", "));
    }

    /** The format with this id, or an error listing those there are. */
    public static ModelFormat named(String id) {
        return all().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no model format '" + id + "'; the formats here are: " + ids()));
    }

    /** The format that recognises {@code path}, or an error naming the path and the formats tried. */
    public static ModelFormat detect(Path path) {
        List<ModelFormat> matches = new ArrayList<>();
        for (ModelFormat f : all()) {
            try {
                if (f.recognizes(path)) {
                    matches.add(f);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path + " to detect its format: " + e.getMessage(), e);
            }
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException(path + " is in none of the model formats here (" + ids() + "); name"
                    + " the format if it is one of them, to see why it is refused");
        }
        return matches.get(0);
    }
}
