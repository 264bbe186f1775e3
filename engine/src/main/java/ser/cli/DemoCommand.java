package ser.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import ser.dsp.LogMel;
import ser.dsp.MelConfig;
import ser.io.AtomicFiles;
import ser.io.Npy;
import ser.io.SpectrogramPng;
import ser.tensor.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ser demo}, for now: the feature pipeline end to end on a synthetic voice. (The training work replaces
 * it with the full demo: synthetic corpus, training, evaluation.)
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        header = "A synthetic voice through the feature pipeline: WAV, .npy, PNG.",
        description = {
                "Synthesises 3 s of a voice-like signal (gliding pitch, formants, syllables), computes its "
                        + "log-Mel spectrogram with the seed config, and writes demo.wav, demo-logmel.npy and "
                        + "demo-logmel.png into the output directory."},
        footerHeading = "%nExamples:%n",
        footer = {"  ser demo", "  ser demo --out /tmp/ser-demo"})
public final class DemoCommand implements Callable<Integer> {

    private static final double SECONDS = 3.0;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out",
            description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() {
        MelConfig cfg = MelConfig.seed();
        float[] voice = DemoVoice.synthesize(cfg.sampleRate(), SECONDS);
        Tensor mel = new LogMel(cfg).compute(voice);

        Path wav = out.resolve("demo.wav"), npy = out.resolve("demo-logmel.npy"), png = out.resolve("demo-logmel.png");
        AtomicFiles.write(wav, stream -> writeWav16(stream, voice, cfg.sampleRate()));
        Npy.write(npy, mel);
        SpectrogramPng.write(png, mel, MelCommand.framesPerSecond(cfg));

        var o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%s: %.1f s synthetic voice, %d Hz mono%n", wav, SECONDS, cfg.sampleRate());
        o.printf("%s: log-Mel [%d mels, %d frames] (seed config)%n", npy, mel.dim(0), mel.dim(1));
        o.printf("%s: its spectrogram%n", png);
        return 0;
    }

    /** A 16-bit PCM mono WAV: the 44-byte canonical header, then the clipped, rounded samples. */
    static void writeWav16(OutputStream out, float[] samples, int sampleRate) throws IOException {
        int dataBytes = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(dataBytes);
        for (float s : samples) b.putShort((short) Math.round(Math.clamp(s, -1f, 1f) * 32767));
        out.write(b.array());
    }
}
