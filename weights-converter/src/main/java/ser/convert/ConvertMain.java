package ser.convert;

import ser.cli.Main;

import java.util.stream.Stream;

/**
 * A converter-only launcher: {@code java -jar ser-convert.jar IN --out OUT.safetensors [--config FILE]} does what
 * {@code ser convert} does, for machines that prepare weights but never run the models.
 *
 * <p>The conversion itself lives in the engine ({@code ser.hubert.convert}) so that the one {@code ser} jar can
 * convert too; this module is only the separate entry point and its packaging.
 */
public final class ConvertMain {

    private ConvertMain() {}

    public static void main(String[] args) {
        System.exit(Main.run(Stream.concat(Stream.of("convert"), Stream.of(args)).toArray(String[]::new)));
    }
}
