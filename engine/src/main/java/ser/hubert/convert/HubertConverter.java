package ser.hubert.convert;

import ser.SerException;
import ser.hubert.HubertConfig;
import ser.io.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code ser convert}: a published HuBERT / wav2vec 2.0 checkpoint to one engine weights file.
 *
 * <p>Accepted inputs: a Hugging Face folder ({@code config.json}, {@code model.safetensors} or
 * {@code pytorch_model.bin}, optional {@code preprocessor_config.json}); a lone weights file with
 * {@code --config} (a Hugging Face config.json); a fairseq checkpoint (its config travels inside); a torchaudio
 * state dict (released sizes are recognised from the tensor shapes, others need {@code --config}).
 */
public final class HubertConverter {

    private HubertConverter() {}

    /** Hugging Face's config.json, plus do_normalize from preprocessor_config.json when that file exists. */
    @SuppressWarnings("unchecked")
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
        return (Map<String, Object>) m;
    }
}
