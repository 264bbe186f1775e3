package ser.data;

import ser.SerException;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * The files under a folder, through symbolic links: corpora are often assembled by linking speaker folders
 * from elsewhere, and a link that is not followed drops a speaker without a word. A link back to a folder above
 * it (a loop), a dangling link or an unreadable folder is listed as skipped with the reason rather than ending the
 * walk or passing in silence.
 */
public final class FolderWalk {

    /** The regular files that {@code wanted} took, sorted, and what could not be walked with why. */
    public record Result(List<Path> files, List<Corpus.Skipped> skipped) {}

    private FolderWalk() {}

    public static Result files(Path dir, Predicate<Path> wanted) {
        List<Path> files = new ArrayList<>();
        List<Corpus.Skipped> skipped = new ArrayList<>();
        try {
            Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        if (wanted.test(file)) files.add(file);
                    } else if (attributes.isSymbolicLink() && wanted.test(file)) {
                        // a link that could not be followed is reported with its own attributes: it leads nowhere
                        skipped.add(new Corpus.Skipped(file, "symbolic link to nothing"));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    String reason = e instanceof FileSystemLoopException
                            ? "symbolic link loop: leads back to a folder above it, not walked again"
                            : "cannot read: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
                    skipped.add(new Corpus.Skipped(file, reason));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw SerException.inFile(dir, "cannot list (" + e.getMessage() + ")", e);
        }
        files.sort(null);
        skipped.sort((a, b) -> a.file().compareTo(b.file()));
        return new Result(List.copyOf(files), List.copyOf(skipped));
    }
}
