package ser.hubert;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A weights file's metadata decides what the engine allocates: absurd sizes and epsilons are refused. */
class HubertConfigBoundsTest {

    private static String refused(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(HubertConfig.base().toMetadata());
        m.put(key, value);
        return assertThrows(IllegalArgumentException.class, () -> HubertConfig.fromMetadata(m)).getMessage();
    }

    @Test
    void sizesFromMetadataAreBounded() {
        assertEquals("num_layers 2000000000 is out of range (1..256)", refused("num_layers", "2000000000"));
        assertEquals("num_layers 0 is out of range (1..256)", refused("num_layers", "0"));
        assertEquals("ffn_size 100000 is out of range (1..65536)", refused("ffn_size", "100000"));
        assertEquals("conv_channels 1000000 is out of range (1..8192)", refused("conv_channels", "1000000,512,512,512,512,512,512"));
        assertEquals("conv_strides 0 is out of range (1..1024)", refused("conv_strides", "5,2,2,2,2,2,0"));
        assertEquals(HubertConfig.large(), HubertConfig.fromMetadata(HubertConfig.large().toMetadata()));
    }

    @Test
    void layerNormEpsilonMustBeASmallPositiveNumber() {
        assertEquals("layer_norm_eps NaN is not a number in (0, 1)", refused("layer_norm_eps", "NaN"));
        assertEquals("layer_norm_eps Infinity is not a number in (0, 1)", refused("layer_norm_eps", "Infinity"));
        assertEquals("layer_norm_eps -1.0E-5 is not a number in (0, 1)", refused("layer_norm_eps", "-1e-5"));
    }
}
