package ser.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import ser.audio.AudioLoader;
import ser.dsp.LogMel;
import ser.dsp.MelConfig;
import ser.dsp.MelStream;
import ser.io.Npy;
import ser.io.SpectrogramPng;
import ser.tensor.Tensor;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ser mel}: one file's log-Mel spectrogram, as .npy and optionally as a picture. */
@Command(name = "mel", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Log-Mel spectrogram of one audio file, as a .npy array (and a PNG).",
        description = {
                "Saves the log-Mel spectrogram (dB) as float32 shaped [n_mels, frames], readable with numpy.load. "
                        + "The whole file is used: mixed down to mono and resampled to the config's sample rate, "
                        + "without the padding or trimming of the training recipe.",
                "",
                "The file (WAV or AIFF) is streamed (resampled if need be) a block of frames at a time, so memory "
                        + "stays bounded whatever its length (an hour at 16 kHz fits a 256 MB heap: "
                        + "SER_JAVA_OPTS=-Xmx256m); the .npy is byte for byte the same. Read whole instead: with a "
                        + "config with top_db (it needs the whole spectrogram's maximum), and with --png (it draws "
                        + "the whole spectrogram)."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  ser mel speech.wav --out speech.npy",
                "  ser mel speech.wav --out speech.npy --png speech.png",
                "  ser mel speech.wav --out speech.npy --config config/features/mel-seed.yaml",
                ExitCodes.FOOTER})
public final class MelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN.wav", description = "The audio file (WAV or AIFF).")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "OUT.npy", description = "Where to write the array.")
    Path out;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Feature config (YAML). Default: the embedded seed config (config/features/mel-seed.yaml).")
    Path config;

    @Option(names = "--png", paramLabel = "FILE", description = "Also draw the spectrogram as a PNG image.")
    Path png;

    @Override
    public Integer call() {
        Inputs.existingFile(input);
        MelConfig cfg = Inputs.melConfig(config);
        Tensor mel = null;
        int[] shape = png == null ? MelStream.tryWrite(input, out, new LogMel(cfg), MelStream.BLOCK_FRAMES) : null;
        if (shape == null) {
            mel = new LogMel(cfg).compute(AudioLoader.loadMono(input, cfg.sampleRate()));
            Npy.write(out, mel);
            shape = new int[] {mel.dim(0), mel.dim(1)};
        }
        // Concatenated, not printf: a Formatter loads the locale's data, a few tens of ms of a short command's start.
        spec.commandLine().getOut().println(out + ": log-Mel [" + shape[0] + " mels, " + shape[1] + " frames] at "
                + cfg.sampleRate() + " Hz, hop " + cfg.hopLength());
        if (png != null) {
            SpectrogramPng.write(png, mel, framesPerSecond(cfg));
            spec.commandLine().getOut().printf("%s: spectrogram picture%n", png);
        }
        return 0;
    }

    static SpectrogramPng.Style framesPerSecond(MelConfig cfg) {
        return SpectrogramPng.Style.defaults().withFramesPerSecond(cfg.sampleRate() / (double) cfg.hopLength());
    }
}
