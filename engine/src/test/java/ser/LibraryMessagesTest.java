package ser;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The library speaks in its own terms: no string in its code names a command-line flag ({@code --window}), the
 * launcher's environment ({@code SER_JAVA_OPTS}) or a command to type ({@code 'ser convert'}). The cli module says
 * those, where its user needs them.
 */
class LibraryMessagesTest {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");
    private static final Pattern CLI_WORDS = Pattern.compile("(?<![\\w-])--[a-z]|SER_JAVA_OPTS|\\bser (train|evaluate|predict"
            + "|import|convert|demo|features|mel|embed)\\b");

    @Test
    void noStringOfTheLibraryNamesAFlagOrACommand() throws IOException {
        Path sources = Path.of("src/main/java");
        assumeTrue(Files.isDirectory(sources.resolve("ser")), "run from the engine module's directory");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).strip();
                    if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) continue;
                    Matcher s = STRING.matcher(code);
                    while (s.find()) {
                        if (CLI_WORDS.matcher(s.group()).find()) {
                            found.add(sources.relativize(file) + ":" + (i + 1) + ": " + s.group());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
