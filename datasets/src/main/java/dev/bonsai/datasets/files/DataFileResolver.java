package dev.bonsai.datasets.files;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.DataFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Finds dataset files, downloads them when allowed, and verifies each by SHA-256, so that a run offline and a run
 * that downloads read the same bytes.
 *
 * <p>A file is looked for, in order, in the descriptor's dataset folder ({@code <folder>/<path>}), under
 * {@code --data-dir}, under {@code BONSAI_DATA_DIR} and in the user cache ({@code <root>/<dataset id>/<path>}); the
 * first that exists is used and must match the expected SHA-256: a wrong file is an error, never skipped. When no
 * location has it and downloads are allowed, it is downloaded from its mirrors into the user cache. Checksums of
 * unchanged files are remembered within the JVM, so resolving a file again does not hash it again.
 *
 * <p>Construct one from the command line and descriptor:
 * <pre>{@code
 * DataFiles files = new DataFileResolver(DataLocations.fromEnvironment()
 *         .withDataDir(cliDataDir)                // --data-dir, or null
 *         .withExplicitFolder(descriptorPath));   // dataset: {path: ...}, or null
 * }</pre>
 *
 * <p>Instances are thread-safe; concurrent resolutions of the same file within the JVM download it once.
 */
public final class DataFileResolver implements DataFiles {
    private static final Logger LOG = LogManager.getLogger(DataFileResolver.class);
    private static final Pattern DATASET_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final DataLocations locations;
    private final Downloader downloader;

    /** A resolver that looks in {@code locations} and downloads with the standard settings when allowed. */
    public DataFileResolver(DataLocations locations) {
        this(locations, Downloader.standard());
    }

    /** A resolver with its own download settings (tests). */
    DataFileResolver(DataLocations locations, Downloader downloader) {
        this.locations = Objects.requireNonNull(locations);
        this.downloader = Objects.requireNonNull(downloader);
        warnIfMissing(locations.explicitFolder(), "The dataset folder named in the descriptor");
        warnIfMissing(locations.dataDir(), "The --data-dir folder");
        warnIfMissing(locations.envDir(), "The " + DataLocations.DATA_DIR_VARIABLE + " folder");
    }

    /**
     * A resolver for this process's environment ({@code BONSAI_DATA_DIR}, {@code BONSAI_OFFLINE}, the user cache)
     * plus the descriptor's dataset folder and {@code --data-dir}.
     *
     * @param explicitFolder the descriptor's dataset folder, or null
     * @param dataDir        the {@code --data-dir} root, or null
     */
    public static DataFileResolver fromEnvironment(Path explicitFolder, Path dataDir) {
        return new DataFileResolver(DataLocations.fromEnvironment().withDataDir(dataDir)
                .withExplicitFolder(explicitFolder));
    }

    /** Where this resolver looks. */
    public DataLocations locations() {
        return locations;
    }

    @Override
    public Path resolve(String datasetId, DataFile file) {
        check(datasetId, file);
        List<Place> places = places(datasetId, file);
        for (Place place : places) {
            if (place.path != null && Files.isRegularFile(place.path)) {
                return verified(datasetId, file, place);
            }
        }
        Place cache = places.get(places.size() - 1);
        if (locations.offline()) {
            throw new BonsaiException(notFound(datasetId, file, places,
                    "downloads are off (" + DataLocations.OFFLINE_VARIABLE + " is set)"));
        }
        if (file.mirrors().isEmpty()) {
            throw new BonsaiException(notFound(datasetId, file, places, "no download mirror is known for it"));
        }
        synchronized (LOCKS.computeIfAbsent(cache.path, p -> new Object())) {
            if (Files.isRegularFile(cache.path)) {
                return verified(datasetId, file, cache); // another thread downloaded it meanwhile
            }
            try {
                return downloader.download(datasetId, file, cache.path);
            } catch (Downloader.DownloadFailedException e) {
                StringBuilder why = new StringBuilder("downloading it failed on every mirror:");
                for (String failure : e.failures()) {
                    why.append("\n    - ").append(failure);
                }
                throw new BonsaiException(notFound(datasetId, file, places, why.toString()), e);
            }
        }
    }

    /**
     * Where {@code file} of {@code datasetId} is, without verifying or downloading it: the first location, in the
     * resolution order, that holds a regular file at its path.
     *
     * @return the file and how it was found, or empty when no location holds it
     */
    public Optional<FileStatus> find(String datasetId, DataFile file) {
        checkId(datasetId);
        Path relative = Path.of(file.path());
        if (file.path().isEmpty() || relative.isAbsolute() || !relative.normalize().equals(relative)
                || relative.startsWith("..")) {
            throw new IllegalArgumentException("dataset file path must be relative and inside the dataset's "
                    + "folder: '" + file.path() + "' of dataset " + datasetId);
        }
        for (Place place : places(datasetId, file)) {
            if (place.path != null && Files.isRegularFile(place.path)) {
                return Optional.of(new FileStatus(datasetId, file, place.path, place.source, Optional.empty()));
            }
        }
        return Optional.empty();
    }

    /**
     * Where {@code file} is and whether it matches its SHA-256, without downloading it (for {@code bonsai datasets}).
     * A file without a valid expected SHA-256 is reported present but unverified.
     *
     * @return its status, or empty when no location holds it
     */
    public Optional<FileStatus> status(String datasetId, DataFile file) {
        Optional<FileStatus> found = find(datasetId, file);
        if (found.isEmpty()) {
            return found;
        }
        FileStatus f = found.get();
        try {
            String actual = Checksums.sha256(f.path());
            return Optional.of(new FileStatus(datasetId, file, f.path(), f.source(), Optional.of(actual)));
        } catch (IOException e) {
            LOG.warn("Cannot read {}: {}", f.path(), e.toString());
            return found;
        }
    }

    /**
     * The SHA-256 of {@code file}, lower-case hex, remembered within the JVM while the file is unchanged (for files
     * a user names, which have no expected checksum: it is recorded with the results).
     *
     * @throws BonsaiException when it cannot be read
     */
    public static String sha256(Path file) {
        try {
            return Checksums.sha256(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BonsaiException("File " + file + " does not exist", e);
        } catch (IOException e) {
            throw new BonsaiException("Cannot read " + file + ": " + e, e);
        }
    }

    private Path verified(String datasetId, DataFile file, Place place) {
        String actual;
        long size;
        try {
            actual = Checksums.sha256(place.path);
            size = Files.size(place.path);
        } catch (IOException e) {
            throw new BonsaiException("Cannot read dataset file " + place.path + " (" + datasetId + "/" + file.path()
                    + ", found " + place.source + "): " + e + ". Check its permissions, or remove it so that "
                    + "another location is used.", e);
        }
        String expected = file.sha256().toLowerCase(Locale.ROOT);
        if (!actual.equals(expected)) {
            StringBuilder message = new StringBuilder()
                    .append("Dataset file ").append(place.path).append(" (").append(datasetId).append('/')
                    .append(file.path()).append(", found ").append(place.source).append(") fails verification:")
                    .append("\n  expected SHA-256: ").append(expected)
                    .append("\n  actual SHA-256:   ").append(actual);
            if (file.size() >= 0) {
                message.append("\n  size: expected ").append(file.size()).append(" bytes, found ").append(size);
            }
            message.append("\nIt is corrupt, truncated or a different version of the file. ");
            if (place.isCache) {
                message.append("Delete it (rm '").append(place.path).append("') and run again");
                message.append(locations.offline() || file.mirrors().isEmpty()
                        ? ", with downloads allowed, to download it again, or put a good copy there."
                        : ": it will be downloaded again.");
            } else {
                message.append("Replace it with a good copy, or delete it (rm '").append(place.path)
                        .append("') so that the next location is used")
                        .append(file.mirrors().isEmpty() ? "." : " or it is downloaded again into the user cache.");
            }
            throw new BonsaiException(message.toString());
        }
        LOG.debug("Using {}/{} from {} ({}), SHA-256 verified", datasetId, file.path(), place.path, place.source);
        return place.path;
    }

    /** Every place looked in, in order; the user cache is last. Unset locations have a null path. */
    private List<Place> places(String datasetId, DataFile file) {
        List<Place> places = new ArrayList<>();
        places.add(locations.explicitFolder()
                .map(folder -> new Place(folder.resolve(file.path()).normalize(), "in the descriptor's dataset path",
                        false))
                .orElse(new Place(null, "the descriptor gives no dataset path", false)));
        places.add(under(locations.dataDir(), datasetId, file, "under --data-dir", "--data-dir is not given"));
        places.add(under(locations.envDir(), datasetId, file, "under " + DataLocations.DATA_DIR_VARIABLE,
                DataLocations.DATA_DIR_VARIABLE + " is not set"));
        places.add(new Place(cachePath(datasetId, file), "in the user cache", true));
        return places;
    }

    private static Place under(Optional<Path> root, String datasetId, DataFile file, String source, String unset) {
        return root.map(r -> new Place(r.resolve(datasetId).resolve(file.path()).normalize(), source, false))
                .orElse(new Place(null, unset, false));
    }

    private Path cachePath(String datasetId, DataFile file) {
        return locations.cacheDir().resolve(datasetId).resolve(file.path()).normalize();
    }

    private String notFound(String datasetId, DataFile file, List<Place> places, String why) {
        String name = datasetId + "/" + file.path();
        StringBuilder message = new StringBuilder()
                .append("Dataset file ").append(name).append(" was not found, and ").append(why)
                .append("\nLooked in:");
        for (Place place : places) {
            message.append("\n  - ").append(place.path != null ? place.path + " (" + place.source + ")"
                    : "(" + place.source + ")");
        }
        message.append("\nTo provide it (SHA-256 ").append(file.sha256().toLowerCase(Locale.ROOT));
        if (file.size() >= 0) {
            message.append(", ").append(file.size()).append(" bytes");
        }
        message.append("), put it at DIR/").append(name).append(" and set ")
                .append(DataLocations.DATA_DIR_VARIABLE).append("=DIR or pass --data-dir DIR");
        message.append(", or name its folder in the descriptor (dataset: {path: FOLDER})");
        if (!file.mirrors().isEmpty()) {
            message.append(locations.offline()
                    ? ", or allow downloads (unset " + DataLocations.OFFLINE_VARIABLE + ") to fetch it from "
                    : ", or download it yourself from ");
            message.append(file.mirrors().get(0));
        }
        message.append('.');
        return message.toString();
    }

    private static void checkId(String datasetId) {
        if (!DATASET_ID.matcher(datasetId).matches()) {
            throw new IllegalArgumentException("not a valid dataset id: '" + datasetId + "'");
        }
    }

    private static void check(String datasetId, DataFile file) {
        checkId(datasetId);
        Path relative = Path.of(file.path());
        if (file.path().isEmpty() || relative.isAbsolute() || relative.normalize().startsWith("..")
                || !relative.normalize().equals(relative)) {
            throw new IllegalArgumentException("dataset file path must be relative and inside the dataset's "
                    + "folder: '" + file.path() + "' of dataset " + datasetId);
        }
        if (!SHA256.matcher(file.sha256()).matches()) {
            throw new IllegalArgumentException("dataset file " + datasetId + "/" + file.path()
                    + " has no valid SHA-256 (64 hex digits): '" + file.sha256() + "'");
        }
        for (URI mirror : file.mirrors()) {
            String scheme = mirror.getScheme() == null ? "" : mirror.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new IllegalArgumentException("mirror " + mirror + " of " + datasetId + "/" + file.path()
                        + " is not an http(s) URL");
            }
        }
    }

    private static void warnIfMissing(Optional<Path> folder, String what) {
        folder.filter(f -> !Files.isDirectory(f))
                .ifPresent(f -> LOG.warn("{} does not exist or is not a folder: {}", what, f));
    }

    /** A place a file may be: its path (null when the location is not set) and how it was found, for messages. */
    private record Place(Path path, String source, boolean isCache) {
    }
}
