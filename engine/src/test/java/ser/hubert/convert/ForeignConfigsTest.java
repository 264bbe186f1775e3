package ser.hubert.convert;

import org.junit.jupiter.api.Test;
import ser.hubert.HubertConfig;
import ser.tensor.Tensor;

import java.util.HashMap;
import java.util.Map;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ForeignConfigsTest {

    @Test
    void readsFairseqConvFeatureLayers() {
        List<int[]> layers = ForeignConfigs.convLayers("[(512, 10, 5)] + [(512, 3, 2)] * 4 + [(512,2,2)] * 2");
        assertEquals(7, layers.size());
        assertArrayEquals(new int[] {512, 10, 5}, layers.get(0));
        assertArrayEquals(new int[] {512, 3, 2}, layers.get(4));
        assertArrayEquals(new int[] {512, 2, 2}, layers.get(6));
        assertEquals(3, ForeignConfigs.convLayers("[(8, 4, 2), (8, 2, 1)] * 1 + [(4, 2, 2)]").size());
        assertThrows(IllegalArgumentException.class, () -> ForeignConfigs.convLayers("[(512, 10)] * 2"));
        assertThrows(IllegalArgumentException.class, () -> ForeignConfigs.convLayers("conv(512)"));
    }

    @Test
    void releasedWidthsAreRecognisedFromTheTensorsAlone() {
        Map<String, Tensor> base = new HashMap<>();
        base.put("feature_projection.projection.weight", Tensor.zeros(768, 512));
        base.put("feature_extractor.conv_layers.0.layer_norm.weight", Tensor.zeros(512));
        for (int l = 0; l < 12; l++) base.put("encoder.layers." + l + ".final_layer_norm.weight", Tensor.zeros(768));
        base.put("encoder.layers.0.feed_forward.intermediate_dense.weight", Tensor.zeros(3072, 1));
        assertEquals(HubertConfig.base(), ForeignConfigs.inferred(base));

        Map<String, Tensor> large = new HashMap<>();
        large.put("feature_projection.projection.weight", Tensor.zeros(1024, 1));
        large.put("feature_extractor.conv_layers.0.conv.bias", Tensor.zeros(512));
        large.put("feature_extractor.conv_layers.1.layer_norm.weight", Tensor.zeros(512));
        for (int l = 0; l < 24; l++) large.put("encoder.layers." + l + ".final_layer_norm.weight", Tensor.zeros(1024));
        large.put("encoder.layers.0.feed_forward.intermediate_dense.weight", Tensor.zeros(4096, 1));
        assertEquals(HubertConfig.large(), ForeignConfigs.inferred(large));

        large.remove("feature_extractor.conv_layers.1.layer_norm.weight");    // wav2vec 2.0 large of LibriSpeech
        large.remove("feature_extractor.conv_layers.0.conv.bias");
        large.put("feature_extractor.conv_layers.0.layer_norm.weight", Tensor.zeros(512));
        HubertConfig librispeechLarge = ForeignConfigs.inferred(large);
        assertEquals(HubertConfig.FeatureNorm.GROUP, librispeechLarge.featureNorm());
        assertEquals(false, librispeechLarge.layerNormFirst() || librispeechLarge.convBias() || librispeechLarge.doNormalize());

        Map<String, Tensor> odd = Map.of("feature_projection.projection.weight", Tensor.zeros(48, 32));
        assertThrows(IllegalArgumentException.class, () -> ForeignConfigs.inferred(odd));
    }

    @Test
    void namesOfEveryLayoutMeetInHuggingFaceForm() {
        String hf = "encoder.layers.3.attention.k_proj.weight";
        assertEquals(hf, ForeignNames.toHuggingFace(hf));
        assertEquals(hf, ForeignNames.toHuggingFace("hubert." + hf));
        assertEquals(hf, ForeignNames.toHuggingFace("encoder.transformer.layers.3.attention.k_proj.weight"));
        assertEquals(hf, ForeignNames.toHuggingFace("w2v_encoder.w2v_model.encoder.layers.3.self_attn.k_proj.weight"));
        assertEquals("feature_extractor.conv_layers.0.layer_norm.bias", ForeignNames.toHuggingFace("feature_extractor.conv_layers.0.2.bias"));
        assertEquals("feature_extractor.conv_layers.4.layer_norm.weight", ForeignNames.toHuggingFace("feature_extractor.conv_layers.4.2.1.weight"));
        assertEquals("feature_projection.layer_norm.weight", ForeignNames.toHuggingFace("layer_norm.weight"));
        assertEquals("encoder.layer_norm.weight", ForeignNames.toHuggingFace("encoder.layer_norm.weight"));
        assertEquals("encoder.pos_conv_embed.conv.weight_g", ForeignNames.toHuggingFace("encoder.pos_conv.0.weight_g"));
        for (String dropped : new String[] {"mask_emb", "label_embs_concat", "final_proj.weight", "lm_head.bias",
                "wav2vec2.masked_spec_embed", "quantizer.codevectors", "project_q.weight"}) {
            assertNull(ForeignNames.toHuggingFace(dropped), dropped);
        }
    }
}
