package ser.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import ser.SerException;
import ser.audio.AudioReader;
import ser.features.HubertChunks;
import ser.features.HubertFeatureConfig;
import ser.features.HubertFeatures;
import ser.hubert.Hubert;
import ser.hubert.HubertOutput;
import ser.job.EmbedJob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ser embed FILE_OR_DIR... --weights W --out DIR}: HuBERT hidden states of each audio file as
 * {@code DIR/<name>.npy}, float32 [layers, frames, dim] or, with {@code --pool mean}, [layers, dim].
 *
 * <p>The options, checked and worded here, then {@link EmbedJob}, the library call that does the work.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Write HuBERT / wav2vec 2.0 hidden states of WAV or AIFF files as .npy arrays. A file that "
                + "cannot be read stops the job (exit status 1); the arrays written so far stay.",
                "A file longer than one chunk and its overlap on both sides (by default 20 + 2 x 2.5 = 25 s) is run in "
                        + "chunks: each keeps --chunk-seconds of frames and sees --chunk-overlap more on each side, "
                        + "cut on the 20 ms frame grid, so there are exactly the frames of a whole-file pass and "
                        + "memory stays bounded by the chunk (the file is read as it goes, and the .npy written "
                        + "chunk by chunk). The group norm and waveform normalisation use the whole file's "
                        + "statistics; attention sees only the chunk, so the states differ slightly from a "
                        + "whole-file pass (measured in docs/streaming.md). Shorter files, and every file with "
                        + "--chunk-seconds 0, are run whole."},
        footer = ExitCodes.FOOTER)
public final class EmbedCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE_OR_DIR", description = "WAV or AIFF files, or folders searched for them")
    List<Path> inputs;

    @Option(names = "--weights", required = true, paramLabel = "W", description = "engine weights (from 'ser convert')")
    Path weights;

    @Option(names = "--layers", defaultValue = "all", paramLabel = "all|N,M",
            description = "hidden states to keep: all, or indices 0 (transformer input) .. L (last layer)")
    String layers;

    @Option(names = "--pool", defaultValue = "none", paramLabel = "none|mean", description = "average over frames")
    String pool;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
    Path out;

    // The defaults are the chunks the feature cache runs long clips in, so ser embed and ser features agree.
    @Option(names = "--chunk-seconds", defaultValue = "" + HubertFeatures.CHUNK_SECONDS, paramLabel = "S",
            description = "frames kept from each chunk of a long file, in seconds (default: ${DEFAULT-VALUE}); 0: every file whole")
    double chunkSeconds;

    @Option(names = "--chunk-overlap", defaultValue = "" + HubertFeatures.CHUNK_OVERLAP_SECONDS, paramLabel = "S",
            description = "context each chunk also sees on each side, in seconds (default: ${DEFAULT-VALUE})")
    double chunkOverlap;

    @Option(names = DeviceOptions.NAME, paramLabel = DeviceOptions.LABEL, description = DeviceOptions.HELP)
    String device;

    @Override
    public Integer call() {
        HubertOutput.Pool pooling = switch (pool) {
            case "none" -> HubertOutput.Pool.NONE;
            case "mean" -> HubertOutput.Pool.MEAN;
            default -> throw new SerException("--pool must be none or mean, got '" + pool + "'");
        };
        List<Path> files = audioFiles(inputs);
        EmbedJob.checkNames(files);
        if (!(chunkSeconds >= 0)) throw new SerException("--chunk-seconds must be 0 (no chunks) or more, got " + chunkSeconds);
        Hubert hubert = Hubert.load(weights, DeviceOptions.open(device));
        int[] chosen = layerIndices(layers, hubert.config().layers());
        HubertChunks.Plan plan = null;
        if (chunkSeconds > 0) {
            try {
                plan = HubertChunks.Plan.seconds(hubert.config(), chunkSeconds, chunkOverlap);
            } catch (SerException e) {
                throw new SerException("--chunk-seconds " + chunkSeconds + " --chunk-overlap " + chunkOverlap + ": " + e.getMessage(), e);
            }
        }
        new EmbedJob(files, chosen, pooling, plan, out).run(hubert);
        Main.err().printf("ser: wrote %d embedding%s to %s%n", files.size(), files.size() == 1 ? "" : "s", out);
        return 0;
    }

    /** "all", "last" or a comma list of hidden-state indices, each in 0 .. layers (the library parses it). */
    static int[] layerIndices(String spec, int layers) {
        try {
            return HubertFeatureConfig.Selection.parse(spec.replace(" ", ""), layers).states();
        } catch (IllegalArgumentException e) {
            throw new SerException("--layers: " + e.getMessage());
        }
    }

    private static List<Path> audioFiles(List<Path> inputs) {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                files.addAll(Inputs.audioFilesUnder(in));
            } else if (Files.isRegularFile(in)) {
                files.add(in);
            } else {
                throw SerException.inFile(in, "no such file or folder");
            }
        }
        if (files.isEmpty()) throw new SerException("no audio files (" + AudioReader.extensionList() + ") in " + inputs);
        return files;
    }
}
