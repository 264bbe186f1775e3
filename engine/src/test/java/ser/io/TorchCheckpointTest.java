package ser.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ser.SerException;
import ser.io.pickle.PickleBytes;
import ser.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class TorchCheckpointTest {

    @TempDir Path dir;

    // ---- real torch.save files ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"state_dict.pt", "state_dict_p4.pt", "state_dict_legacy.pt", "state_dict_prefix.pt", "state_dict_archive.pt"})
    void readsEveryValueInEveryLayout(String name) {
        Map<String, Object> loaded = TorchCheckpoint.load(Fixtures.ckpt(name));
        Fixtures.assertTensors(Fixtures.expected("state_dict.expected.json"), loaded);
    }

    @Test
    void viewsComeBackContiguousAndOwnTheirData() {
        Map<String, Tensor> sd = TorchCheckpoint.stateDict(Fixtures.ckpt("state_dict.pt"));
        for (String name : List.of("transposed", "shared_view", "shared_strided", "expanded")) {
            Tensor t = sd.get(name);
            assertTrue(t.isContiguous(), name);
            assertEquals(0, t.offset(), name);
            assertEquals(t.size(), t.heapArray().length, name + " does not pin the storage it was cut from");
        }
        assertEquals(24, sd.get("shared_base").heapArray().length, "a tensor covering its whole storage wraps it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fairseq_like.pt", "fairseq_like_legacy.pt"})
    void readsAFairseqStyleCheckpoint(String name) {
        Map<String, Object> ckpt = TorchCheckpoint.load(Fixtures.ckpt(name));
        assertEquals(List.of("args", "model", "optimizer_history", "extra_state"), List.copyOf(ckpt.keySet()));

        Map<String, Object> args = new LinkedHashMap<>();
        args.put("arch", "hubert");
        args.put("encoder_layers", 2L);
        args.put("dropout", 0.1);
        args.put("label_rate", 50.0);
        args.put("normalize", false);
        args.put("conv_feature_layers", "[(512,10,5)]");
        args.put("layers", List.of(1L, 2L));
        args.put("pair", List.of(3L, 4L));
        args.put("nothing", null);
        args.put("big", BigInteger.TWO.pow(70));
        assertEquals(args, ckpt.get("args"));
        assertEquals(List.copyOf(args.keySet()), List.copyOf(((Map<?, ?>) ckpt.get("args")).keySet()));

        Map<String, Object> history = new LinkedHashMap<>();
        history.put("criterion_name", "hubert");
        history.put("optimizer_name", "Adam");
        history.put("lr_scheduler_state", Collections1.mapWithNull("best"));
        history.put("num_updates", 400000L);
        assertEquals(List.of(history), ckpt.get("optimizer_history"));

        Map<?, ?> extra = (Map<?, ?>) ckpt.get("extra_state");
        assertEquals(3L, extra.get("epoch"));
        assertEquals(0.25, extra.get("val_loss"), "a numpy.float64");
        assertEquals(400L, extra.get("steps"), "a numpy.int64");
        assertArrayEquals(new byte[] {0, (byte) 0xff, 'r', 'a', 'w'}, (byte[]) extra.get("raw"));
        assertEquals(Set.of("a"), extra.get("tags"));
        assertEquals(Set.of(1L), extra.get("frozen"));

        Map<String, Tensor> weights = TorchCheckpoint.stateDict(Fixtures.ckpt(name));
        Fixtures.assertTensors(Fixtures.expected("fairseq_like.expected.json"), weights);
        assertEquals(3f, weights.get("1.num_batches_tracked").getFlat(0));
        assertInstanceOf(LinkedHashMap.class, ckpt);
    }

    @Test
    void stateDictUnwrapsStateDictEntriesAndRefusesOtherDicts() throws IOException {
        Path wrapped = torchZip("wrapped", PickleBytes.protocol(2).op('}').str("state_dict").op('}')
                .str("w").op(rebuildTensor(2, 0, new int[] {2}, new long[] {1})).op('s', 's').stop(), floats(1.5f, -2f));
        assertArrayEquals(new float[] {1.5f, -2f}, TorchCheckpoint.stateDict(wrapped).get("w").toArray());

        Path notWeights = torchZip("config", PickleBytes.protocol(2).op('}').str("lr").integer(3).op('s').stop());
        assertEquals(notWeights + ": not a state dict: entry 'lr' is an int, and no 'model' or 'state_dict' entry holds one",
                message(() -> TorchCheckpoint.stateDict(notWeights)));
        Path list = torchZip("list", PickleBytes.protocol(2).op(']').stop());
        assertEquals(list + ": the checkpoint holds a list, not a dict", message(() -> TorchCheckpoint.load(list)));
    }

    // ---- refusals ---------------------------------------------------------------------------------------

    @Test
    void refusesMaliciousPickles() {
        Path p2 = Fixtures.ckpt("malicious.pt");
        assertEquals(p2 + ": refusing to unpickle os.system: only tensors, containers and plain values are allowed",
                message(() -> TorchCheckpoint.load(p2)));
        Path p4 = Fixtures.ckpt("malicious_p4.pt");
        assertEquals(p4 + ": refusing to unpickle builtins.eval: only tensors, containers and plain values are allowed",
                message(() -> TorchCheckpoint.stateDict(p4)));
    }

    @Test
    void refusesWholeModulesAndUnknownPersistentIds() throws IOException {
        Path module = torchZip("module", PickleBytes.protocol(2).mark().str("module").op('N', 'N', 'N').tuple().op('Q').stop());
        assertEquals(module + ": the checkpoint pickles a whole nn.Module class, which cannot be read without running its code: "
                + "save the model's state_dict() instead", message(() -> TorchCheckpoint.load(module)));
        Path other = torchZip("other", PickleBytes.protocol(2).mark().str("blob").tuple().op('Q').stop());
        assertEquals(other + ": unknown persistent id 'blob' with 1 items", message(() -> TorchCheckpoint.load(other)));
    }

    @Test
    void namesUnsupportedTensorTypes() throws IOException {
        Path complex = torchZip("complex", PickleBytes.protocol(2).mark().str("storage").global("torch", "ComplexFloatStorage")
                .str("0").str("cpu").integer(1).tuple().op('Q').stop());
        assertEquals(complex + ": tensors stored as torch.ComplexFloatStorage are not supported (float, integer and bool tensors are)",
                message(() -> TorchCheckpoint.load(complex)));
    }

    @Test
    void findsTensorsUnderAnyDepthOfNesting() throws IOException {
        int depth = 50_000;
        PickleBytes p = PickleBytes.protocol(2).op('}').str("deep");
        for (int i = 0; i < depth; i++) p.op(']');
        p.op(rebuildTensor(2, 0, new int[] {2}, new long[] {1})).op('a');
        for (int i = 1; i < depth; i++) p.op('a');
        Path deep = torchZip("deep", p.op('s').stop(), floats(3, 4));
        Object v = TorchCheckpoint.load(deep).get("deep");
        for (int i = 1; i < depth; i++) v = ((List<?>) v).getFirst();
        assertArrayEquals(new float[] {3, 4}, ((Tensor) ((List<?>) v).getFirst()).toArray());
    }

    // ---- damaged files ----------------------------------------------------------------------------------

    @Test
    void truncatedZipSaysSo() {
        Path t = Fixtures.ckpt("truncated.pt");
        assertEquals(t + ": damaged zip archive (truncated?): zip END header not found", message(() -> TorchCheckpoint.load(t)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"state_dict.pt", "state_dict_legacy.pt", "fairseq_like_legacy.pt"})
    void everyTruncationIsAOneLineError(String name) throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.ckpt(name));
        Path cut = dir.resolve("cut.pt");
        Fixtures.forEveryCut(whole, cut, n -> {
            String m = message(() -> TorchCheckpoint.load(cut));
            assertTrue(m.startsWith(cut + ": ") && !m.contains("\n"), "cut at " + n + ": " + m);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"state_dict.pt", "fairseq_like.pt", "state_dict_legacy.pt", "fairseq_like_legacy.pt"})
    void randomDamageGivesAValueOrAOneLineErrorNeverACrash(String name) throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.ckpt(name));
        Path damaged = dir.resolve("damaged.pt");
        Files.write(damaged, whole);
        Random random = new Random(name.hashCode());
        try (FileChannel channel = FileChannel.open(damaged, StandardOpenOption.WRITE)) {
            for (int trial = 0; trial < 400; trial++) {
                int[] at = random.ints(3, 0, whole.length).toArray();
                for (int i : at) channel.write(ByteBuffer.wrap(new byte[] {(byte) random.nextInt(256)}), i);
                try {
                    TorchCheckpoint.load(damaged);
                } catch (SerException e) {
                    assertFalse(e.getMessage().contains("\n"), e.getMessage());
                }
                for (int i : at) channel.write(ByteBuffer.wrap(whole, i, 1), i);
            }
        }
    }

    @Test
    void legacyTruncationInsideTheStoragesNamesTheStorage() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.ckpt("state_dict_legacy.pt"));
        Path cut = dir.resolve("cut.pt");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 1));
        assertTrue(message(() -> TorchCheckpoint.load(cut)).matches(".*: storage '\\d+' runs past the end of the file \\(truncated\\?\\)"));
    }

    @Test
    void viewsReachingPastTheirStorageAreRefused() throws IOException {
        Path past = torchZip("past", stateDictPickle(rebuildTensor(1, new int[] {2, 2}, new long[] {2, 1})), floats(1, 2, 3, 4));
        assertEquals(past + ": tensor 'w': offset 1, shape [2, 2], strides [2, 1] reach past the 4 elements of its storage",
                message(() -> TorchCheckpoint.load(past)));
        Path nested = torchZip("nested", PickleBytes.protocol(2).op('}').str("layers").op(']', '}').str("w")
                .op(rebuildTensor(9, new int[] {1}, new long[] {1})).op('s', 'a', 's').stop(), floats(1, 2, 3, 4));
        assertEquals(nested + ": tensor 'layers[0].w': offset 9, shape [1], strides [1] reach past the 4 elements of its storage",
                message(() -> TorchCheckpoint.load(nested)));
        Path overflow = torchZip("overflow", stateDictPickle(rebuildTensor(0, new int[] {3}, new long[] {Long.MAX_VALUE / 2 + 1})), floats(1, 2, 3, 4));
        assertTrue(message(() -> TorchCheckpoint.load(overflow)).contains("tensor 'w': offset 0, shape [3], strides [4611686018427387904] reach past"));
        Path ragged = torchZip("ragged", stateDictPickle(rebuildTensor(0, new int[] {1}, new long[] {1})), new byte[] {1, 2, 3});
        assertEquals(ragged + ": tensor 'w': storage '0' holds 3 bytes, not a whole number of F32 elements",
                message(() -> TorchCheckpoint.load(ragged)));
        Path missing = torchZip("missing", stateDictPickle(rebuildTensor(0, new int[] {1}, new long[] {1})));
        assertEquals(missing + ": storage '0' is missing: no entry 'missing/data/0'", message(() -> TorchCheckpoint.load(missing)));
        Path short_ = torchZip("short", stateDictPickle(rebuildTensor(0, new int[] {2}, new long[] {1})), floats(1, 2));
        assertEquals(short_ + ": tensor 'w': storage '0' holds 2 elements, the pickle promises 4",
                message(() -> TorchCheckpoint.load(short_)));
        Path empty = torchZip("empty", stateDictPickle(rebuildTensor(0, 99, new int[] {0, 5}, new long[] {5, 1})), floats());
        assertArrayEquals(new int[] {0, 5}, TorchCheckpoint.stateDict(empty).get("w").shape(), "an empty view reads nothing");
    }

    @Test
    void expandedViewsAreBoundedBeforeAnythingIsCopied() throws IOException {
        // a 4-byte storage repeated by stride 0 into 30000 x 30000 floats (3.6 GB)
        Path wide = torchZip("wide", stateDictPickle(rebuildTensor(1, 0, new int[] {30000, 30000}, new long[] {0, 0})), floats(1));
        assertEquals(wide + ": tensor 'w': shape [30000, 30000], strides [0, 0] repeat the 1 elements of its storage into "
                + "900000000, more than the 16777216 an expanded view may hold", message(() -> TorchCheckpoint.load(wide)));
        int max = Integer.MAX_VALUE;
        Path huge = torchZip("huge", stateDictPickle(rebuildTensor(1, 0, new int[] {max, max}, new long[] {0, 0})), floats(1));
        assertEquals(huge + ": tensor 'w': shape [" + max + ", " + max + "] has 4611686014132420609 elements, more than the "
                + (max - 8) + " one tensor may hold", message(() -> TorchCheckpoint.load(huge)));
        Path past = torchZip("past63", stateDictPickle(rebuildTensor(1, 0, new int[] {max, max, max}, new long[] {0, 0, 0})), floats(1));
        assertTrue(message(() -> TorchCheckpoint.load(past)).contains("has more than 2^63 elements"));
        // a small expansion is still read, as PyTorch would
        Path small = torchZip("small", stateDictPickle(rebuildTensor(1, 0, new int[] {2, 3}, new long[] {0, 0})), floats(7));
        assertArrayEquals(new float[] {7, 7, 7, 7, 7, 7}, TorchCheckpoint.stateDict(small).get("w").toArray());
    }


    @Test
    void aZipBombIsRefusedBeforeItIsInflated() throws IOException {
        // a data.pkl that deflates 20 MB of padding after its STOP into a few KB
        byte[] pickle = Arrays.copyOf(PickleBytes.protocol(2).op('}').stop(), 20_000_000);
        Path bomb = dir.resolve("bomb.pt");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(9);
            zip.putNextEntry(new ZipEntry("bomb/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
        }
        Files.write(bomb, bytes.toByteArray());
        String m = message(() -> TorchCheckpoint.load(bomb));
        assertTrue(m.matches(java.util.regex.Pattern.quote(bomb.toString())
                + ": zip entry 'bomb/data.pkl' inflates \\d+ bytes to 20000000, more than 100 times \\(a zip bomb\\?\\)"), m);
    }

    @Test
    void recognisesWhatIsNotACheckpoint() throws IOException {
        assertEquals("not a PyTorch checkpoint: only 0 bytes", problem(new byte[0]));
        assertEquals("not a PyTorch checkpoint: neither a zip archive nor a pickle", problem("hello, this is text".getBytes()));
        assertEquals("not a PyTorch checkpoint: neither a zip archive nor a pickle", problem("8 bytes!".getBytes()));
        byte[] tar = new byte[1024];
        System.arraycopy("ustar".getBytes(), 0, tar, 257, 5);
        assertEquals("a tar checkpoint of PyTorch before 0.4, which is not supported: load it with an old torch and save it again",
                problem(tar));
        assertEquals("looks like a safetensors file, not a torch.save checkpoint: read it with Safetensors.read",
                problem(Files.readAllBytes(Fixtures.ckpt("tiny.safetensors"))));
        assertEquals("a TorchScript archive (torch.jit.save), not a torch.save checkpoint: save the model's state_dict() instead",
                problem(zip(Map.of("model/data.pkl", new byte[] {'.'}, "model/constants.pkl", new byte[] {'.'}, "model/code/x.py", new byte[0]))));
        Path scripted = Fixtures.ckpt("scripted.pt");
        assertEquals(scripted + ": a TorchScript archive (torch.jit.save), not a torch.save checkpoint: save the model's state_dict() instead",
                message(() -> TorchCheckpoint.load(scripted)));
        assertEquals("zip archive without a data.pkl: not a PyTorch checkpoint", problem(zip(Map.of("readme.txt", new byte[1]))));
        assertEquals("checkpoint with big-endian storages is not supported",
                problem(zip(Map.of("a/data.pkl", PickleBytes.protocol(2).op('}').stop(), "a/byteorder", "big".getBytes()))));
        assertTrue(message(() -> TorchCheckpoint.load(dir.resolve("absent.pt"))).endsWith("absent.pt: cannot read: no such file"));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private String problem(byte[] content) throws IOException {
        Path f = dir.resolve("thing.bin");
        Files.write(f, content);
        String m = message(() -> TorchCheckpoint.load(f));
        assertTrue(m.startsWith(f + ": "), m);
        return m.substring(f.toString().length() + 2);
    }

    private static String message(org.junit.jupiter.api.function.Executable load) {
        return assertThrows(SerException.class, load).getMessage();
    }

    /** {"w": tensor}, the tensor pickled by {@code tensorOpcodes}. */
    private static byte[] stateDictPickle(int[] tensorOpcodes) {
        return PickleBytes.protocol(2).op('}').str("w").op(tensorOpcodes).op('s').stop();
    }

    /** {@code _rebuild_tensor_v2(FloatStorage '0' of 4 elements, offset, size, stride, False, {})} as opcodes. */
    private static int[] rebuildTensor(long offset, int[] size, long[] stride) {
        return rebuildTensor(4, offset, size, stride);
    }

    private static int[] rebuildTensor(long storageSize, long offset, int[] size, long[] stride) {
        PickleBytes p = new PickleBytes().global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(storageSize).tuple().op('Q')
                .integer(offset).ints(Arrays.stream(size).asLongStream().toArray());
        p.mark();
        for (long s : stride) p.op('L').op((s + "L\n").chars().toArray());
        p.tuple().op(0x89, '}').tuple().op('R');
        byte[] b = p.bytes();
        int[] ops = new int[b.length];
        for (int i = 0; i < b.length; i++) ops[i] = Byte.toUnsignedInt(b[i]);
        return ops;
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    /** A torch.save-shaped zip: {@code <prefix>/data.pkl} and, if given, storage '0'. */
    private Path torchZip(String prefix, byte[] pickle, byte[]... storage0) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(prefix + "/data.pkl", pickle);
        entries.put(prefix + "/version", "3\n".getBytes());
        if (storage0.length > 0) entries.put(prefix + "/data/0", storage0[0]);
        Path f = dir.resolve(prefix + ".pt");
        Files.write(f, zip(entries));
        return f;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Map.of refuses null values; Python dicts hold them. */
    private static final class Collections1 {
        static Map<String, Object> mapWithNull(String key) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(key, null);
            return m;
        }
    }
}
