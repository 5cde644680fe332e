package dev.bonsai.experiments.descriptor;

import dev.bonsai.api.BonsaiException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in a descriptor, reported together as {@code FILE:LINE:COLUMN: message} lines. */
public final class DescriptorException extends BonsaiException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;
    private final transient Path file;

    /** The problems of {@code file}, sorted by position. */
    public DescriptorException(Path file, List<Problem> problems) {
        super(render(file, problems));
        this.file = file;
        this.problems = problems.stream().sorted(ORDER).toList();
    }

    private static final Comparator<Problem> ORDER = Comparator
            .comparingInt((Problem p) -> p.location().line())
            .thenComparingInt(p -> p.location().column());

    /** The problems, in file order. */
    public List<Problem> problems() {
        return problems;
    }

    /** The descriptor file. */
    public Path file() {
        return file;
    }

    private static String render(Path file, List<Problem> problems) {
        String lines = problems.stream().sorted(ORDER)
                .map(p -> p.location().line() > 0
                        ? file + ":" + p.location() + ": " + p.path() + ": " + p.message()
                        : file + ": " + p.path() + ": " + p.message())
                .collect(Collectors.joining("\n"));
        return problems.size() + (problems.size() == 1 ? " error" : " errors") + " in " + file + ":\n" + lines;
    }
}
