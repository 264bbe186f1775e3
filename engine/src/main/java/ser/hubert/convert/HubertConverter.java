package ser.hubert.convert;

import ser.SerException;
import ser.hubert.HubertConfig;
import ser.io.Json;
import ser.io.Safetensors;
import ser.io.TorchCheckpoint;
import ser.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ser convert}: a published HuBERT / wav2vec 2.0 checkpoint to one engine weights file.
 *
 * <p>Accepted inputs, and where each finds its config:
 * <ul>
 *   <li>a Hugging Face folder: {@code config.json}, {@code model.safetensors} or {@code pytorch_model.bin}, and
 *       {@code preprocessor_config.json} for do_normalize (absent: false);</li>
 *   <li>a lone weights file (safetensors or torch.save state dict, in HF or torchaudio naming): the config given
 *       with {@code --config}, else a {@code config.json} beside it, else recognised from the tensor shapes for
 *       the released base and large sizes;</li>
 *   <li>a fairseq checkpoint: its own {@code cfg} (or legacy {@code args}) unless {@code --config} overrides it.</li>
 * </ul>
 * The output holds the engine's tensors ({@link ser.hubert.WeightNames}) and the config in its metadata.
 */
public final class HubertConverter {

    /** What a conversion produced. */
    public record Converted(HubertConfig config, Map<String, Tensor> tensors) {}

    private HubertConverter() {}

    /** Converts {@code in} and writes the engine file {@code out}; {@code configFile} may be null. */
    public static HubertConfig convert(Path in, Path out, Path configFile) {
        Converted c = read(in, configFile);
        Safetensors.write(out, c.tensors(), c.config().toMetadata());
        return c.config();
    }

    /** The engine tensors and config of a checkpoint, without writing anything. */
    public static Converted read(Path in, Path configFile) {
        if (!Files.exists(in)) throw SerException.inFile(in, "no such file or folder");
        Path weights = Files.isDirectory(in) ? folderWeights(in) : in;
        Map<String, Tensor> stateDict;
        HubertConfig fromCheckpoint = null;
        if (isSafetensors(weights)) {
            Safetensors file = Safetensors.read(weights);
            if ("hubert".equals(file.metadata().get("ser.model"))) {
                throw SerException.inFile(weights, "already an engine weights file; use it as it is");
            }
            stateDict = file.tensors();
        } else {
            Map<String, Object> top = TorchCheckpoint.load(weights);
            fromCheckpoint = fairseqConfig(weights, top);
            stateDict = TorchCheckpoint.stateDict(weights);
        }
        HubertConfig config = configFor(weights, configFile, fromCheckpoint, stateDict);
        return new Converted(config, HubertImporter.convert(stateDict, config, weights.toString()));
    }

    private static Path folderWeights(Path folder) {
        for (String name : new String[] {"model.safetensors", "pytorch_model.bin"}) {
            if (Files.isRegularFile(folder.resolve(name))) return folder.resolve(name);
        }
        throw SerException.inFile(folder, "no model.safetensors or pytorch_model.bin in this folder");
    }

    private static HubertConfig configFor(Path weights, Path configFile, HubertConfig fromCheckpoint,
                                          Map<String, Tensor> stateDict) {
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) throw SerException.inFile(configFile, "no such config file");
            return huggingFaceConfig(configFile, configFile.resolveSibling("preprocessor_config.json"));
        }
        if (fromCheckpoint != null) return fromCheckpoint;
        Path beside = weights.resolveSibling("config.json");
        if (Files.isRegularFile(beside)) return huggingFaceConfig(beside, weights.resolveSibling("preprocessor_config.json"));
        try {
            return ForeignConfigs.inferred(HubertImporter.huggingFaceNamed(stateDict));
        } catch (IllegalArgumentException e) {
            throw SerException.inFile(weights, e.getMessage());
        }
    }

    /** The config a fairseq checkpoint carries, or null when {@code top} is a bare state dict. */
    @SuppressWarnings("unchecked")
    private static HubertConfig fairseqConfig(Path file, Map<String, Object> top) {
        Object cfg = top.get("cfg") instanceof Map<?, ?> m ? m : top.get("args");
        if (!(cfg instanceof Map<?, ?> map) || !(top.get("model") instanceof Map<?, ?>)) return null;
        try {
            return ForeignConfigs.fromFairseq((Map<String, Object>) map);
        } catch (IllegalArgumentException e) {
            throw SerException.inFile(file, "fairseq config: " + e.getMessage());
        }
    }

    private static boolean isSafetensors(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".safetensors")) return true;
        if (name.endsWith(".bin") || name.endsWith(".pt") || name.endsWith(".pth")) return false;
        // Unknown extension: a safetensors header is JSON right after the 8-byte length.
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(9);
            return head.length == 9 && head[8] == '{';
        } catch (java.io.IOException e) {
            throw SerException.inFile(file, "cannot read: " + e.getMessage());
        }
    }

    /** Hugging Face's config.json, plus do_normalize from preprocessor_config.json when that file exists. */
    public static HubertConfig huggingFaceConfig(Path configJson, Path preprocessorJson) {
        Map<String, Object> config = asMap(Json.read(configJson), configJson);
        Map<String, Object> preprocessor = preprocessorJson != null && Files.exists(preprocessorJson)
                ? asMap(Json.read(preprocessorJson), preprocessorJson) : null;
        try {
            return ForeignConfigs.fromHuggingFace(config, preprocessor);
        } catch (IllegalArgumentException e) {
            throw SerException.inFile(configJson, e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object json, Path file) {
        if (!(json instanceof Map<?, ?> m)) throw SerException.inFile(file, "expected a JSON object");
        return new LinkedHashMap<>((Map<String, Object>) m);
    }
}
