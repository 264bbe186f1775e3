package ser.hubert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ser.SerException;
import ser.hubert.convert.HubertConverter;
import ser.io.Safetensors;
import ser.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every published naming converts to the same engine file, and that file runs like the reference. */
class HubertConverterTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"small-base", "small-large"})
    void everySourceGivesTheSameEngineFileAndItMatchesTheReference(String model) throws Exception {
        Path dir = Fixtures.dir().resolve(model), hfConfig = dir.resolve("hf/config.json");
        Path fromFolder = tmp.resolve("folder.safetensors"), fromBin = tmp.resolve("bin.safetensors"),
                fromTorchaudio = tmp.resolve("torchaudio.safetensors"), fromFairseq = tmp.resolve("fairseq.safetensors");
        HubertConverter.convert(dir.resolve("hf"), fromFolder, null);
        HubertConverter.convert(dir.resolve("hf/pytorch_model.bin"), fromBin, null);   // config.json beside it
        HubertConverter.convert(dir.resolve("torchaudio.pt"), fromTorchaudio, hfConfig);
        HubertConverter.convert(dir.resolve("fairseq.pt"), fromFairseq, null);         // config inside
        Path legacy = dir.resolve("fairseq-legacy.pt");                                 // argparse.Namespace 'args'
        if (Files.exists(legacy)) {
            Path fromLegacy = tmp.resolve("legacy.safetensors");
            HubertConverter.convert(legacy, fromLegacy, null);
            assertArrayEquals(Files.readAllBytes(fromFolder), Files.readAllBytes(fromLegacy), "legacy fairseq differs");
        }

        byte[] reference = Files.readAllBytes(fromFolder);
        for (Path p : new Path[] {fromBin, fromTorchaudio, fromFairseq}) {
            assertArrayEquals(reference, Files.readAllBytes(p), p.getFileName() + " differs from the HF folder's conversion");
        }
        Hubert hubert = Hubert.load(fromFolder);
        assertEquals(HubertConverter.huggingFaceConfig(hfConfig, dir.resolve("hf/preprocessor_config.json")), hubert.config());
        Path dump = dir.resolve("synth-batch");
        HubertFixtureTest.compare(dump, hubert.run(Fixtures.clips(dump.resolve("manifest.json")), true), model + " via engine file");
    }

    @Test
    void engineFileCarriesTheConfigAndOnlyMappedWeights() {
        Path out = tmp.resolve("w.safetensors");
        HubertConfig config = HubertConverter.convert(Fixtures.dir().resolve("small-large/hf"), out, null);
        Safetensors file = Safetensors.read(out);
        assertEquals(config, HubertConfig.fromMetadata(file.metadata()));
        assertTrue(config.doNormalize() && config.layerNormFirst() && config.convBias());
        assertTrue(file.tensors().values().stream().allMatch(t -> t.segment().isMapped()), "weights are views of the mapping");
        assertFalse(file.tensors().keySet().stream().anyMatch(k -> k.contains("lm_head") || k.contains("masked_spec")));
    }

    @Test
    void missingTensorIsOneLineNamingTensorAndFile() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>(Safetensors.read(Fixtures.dir().resolve("small-base/hf/model.safetensors")).tensors());
        tensors.remove("encoder.layers.1.feed_forward.output_dense.weight");
        Path broken = writeFolder(tensors);
        SerException e = assertThrows(SerException.class, () -> HubertConverter.convert(broken, tmp.resolve("o.safetensors"), null));
        assertOneLine(e, "encoder.layers.1.feed_forward.output_dense.weight", "model.safetensors");
    }

    @Test
    void misShapedTensorIsOneLineNamingTensorShapeAndFile() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>(Safetensors.read(Fixtures.dir().resolve("small-base/hf/model.safetensors")).tensors());
        tensors.put("encoder.layers.0.attention.k_proj.weight", Tensor.zeros(48, 47));
        Path broken = writeFolder(tensors);
        SerException e = assertThrows(SerException.class, () -> HubertConverter.convert(broken, tmp.resolve("o.safetensors"), null));
        assertOneLine(e, "encoder.layers.0.attention.k_proj.weight", "[48, 47]");
    }

    @Test
    void truncatedWeightsAreOneLineErrors() throws Exception {
        for (String name : new String[] {"model.safetensors", "pytorch_model.bin"}) {
            Path folder = Files.createDirectories(tmp.resolve("trunc-" + name));
            Files.copy(Fixtures.dir().resolve("small-base/hf/config.json"), folder.resolve("config.json"));
            byte[] all = Files.readAllBytes(Fixtures.dir().resolve("small-base/hf").resolve(name));
            Files.write(folder.resolve(name), java.util.Arrays.copyOf(all, all.length / 2));
            SerException e = assertThrows(SerException.class, () -> HubertConverter.convert(folder, tmp.resolve("o.safetensors"), null));
            assertOneLine(e, name);
        }
    }

    @Test
    void engineLoaderRefusesForeignAndDamagedFiles() throws Exception {
        Path foreign = Fixtures.dir().resolve("small-base/hf/model.safetensors");
        assertOneLine(assertThrows(SerException.class, () -> Hubert.load(foreign)), "model.safetensors",
                "convert the checkpoint to an engine weights file");
        Path out = tmp.resolve("w.safetensors");
        HubertConverter.convert(Fixtures.dir().resolve("small-base/hf"), out, null);
        Map<String, Tensor> tensors = new LinkedHashMap<>(Safetensors.read(out).tensors());
        tensors.remove("layers.1.ffn.out.bias");
        Path damaged = tmp.resolve("damaged.safetensors");
        Safetensors.write(damaged, tensors, Safetensors.read(out).metadata());
        assertOneLine(assertThrows(SerException.class, () -> Hubert.load(damaged)), "damaged.safetensors", "layers.1.ffn.out.bias");
    }

    @Test
    void engineFileWithANonFloat32TensorIsRefused() throws Exception {
        // A hand-made file: the engine metadata and one F16 tensor, which the loader would have to copy.
        Map<String, String> meta = HubertConverter.huggingFaceConfig(
                Fixtures.dir().resolve("small-base/hf/config.json"), null).toMetadata();
        StringBuilder header = new StringBuilder("{\"feature_encoder.conv.0.weight\":{\"dtype\":\"F16\",\"shape\":[10,32],"
                + "\"data_offsets\":[0,640]},\"__metadata__\":{");
        meta.forEach((k, v) -> header.append('"').append(k).append("\":\"").append(v).append("\","));
        header.setLength(header.length() - 1);
        header.append("}}");
        while (header.length() % 8 != 0) header.append(' ');
        byte[] json = header.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 + json.length + 640).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        Path file = tmp.resolve("f16.safetensors");
        Files.write(file, buf.array());
        assertOneLine(assertThrows(SerException.class, () -> Hubert.load(file)), "f16.safetensors", "feature_encoder.conv.0.weight", "F32");
    }

    @Test
    void unknownWidthWithoutConfigAsksForOne() {
        SerException e = assertThrows(SerException.class,
                () -> HubertConverter.convert(Fixtures.dir().resolve("small-base/torchaudio.pt"), tmp.resolve("o.safetensors"), null));
        assertOneLine(e, "torchaudio.pt", "give its config.json");
    }

    private Path writeFolder(Map<String, Tensor> tensors) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("model"));
        Files.copy(Fixtures.dir().resolve("small-base/hf/config.json"), folder.resolve("config.json"));
        Safetensors.write(folder.resolve("model.safetensors"), tensors, Map.of());
        return folder;
    }

    static void assertOneLine(Exception e, String... mentions) {
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "message spans lines: " + m);
        for (String s : mentions) assertTrue(m.contains(s), "message lacks '" + s + "': " + m);
    }
}
