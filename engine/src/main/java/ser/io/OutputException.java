package ser.io;

import ser.SerException;

import java.nio.file.Path;

/**
 * A file of ours could not be written (disk full, read-only, over quota, permission denied).
 *
 * <p>Unlike a bad input file, which a batch job skips and lists, an output failure stops the job: going on would
 * lose work silently (a feature cache with holes, a run trained on what happened to fit) and still exit 0.
 */
public final class OutputException extends SerException {

    public OutputException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
