package ser.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pulls numbers out of the flat JSON fixtures by key; enough for scalars and (nested) number lists. */
public final class JsonFixture {

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

    private final String text;

    public JsonFixture(Path file) {
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every number in the value of {@code key}, flattened in order. */
    public double[] numbers(String key) {
        int at = text.indexOf("\"" + key + "\"");
        if (at < 0) throw new IllegalArgumentException("no key " + key);
        int start = text.indexOf(':', at) + 1;
        int end = start;
        int depth = 0;
        while (end < text.length()) {
            char c = text.charAt(end);
            if (c == '[') depth++;
            else if (c == ']') depth--;
            else if ((c == ',' || c == '}') && depth == 0) break;
            end++;
        }
        List<Double> values = new ArrayList<>();
        Matcher m = NUMBER.matcher(text.substring(start, end));
        while (m.find()) values.add(Double.parseDouble(m.group()));
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public double number(String key) {
        return numbers(key)[0];
    }
}
