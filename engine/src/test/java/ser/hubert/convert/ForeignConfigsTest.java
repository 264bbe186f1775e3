package ser.hubert.convert;

import org.junit.jupiter.api.Test;

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
