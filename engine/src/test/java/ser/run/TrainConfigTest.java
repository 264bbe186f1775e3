package ser.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;
import ser.config.ConfigNode;
import ser.data.Split;
import ser.data.Utterance;
import ser.features.FeatureConfig;
import ser.features.HubertFeatureConfig;
import ser.model.ModelSpec;
import ser.tensor.Devices;
import ser.testing.TinyRuns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainConfigTest {

    @Test
    void theShippedSeedRecipeIsTheSeeds() {
        TrainConfig c = TrainConfig.load(Path.of("train-mel-seed.yaml")); // not on disk here: the built-in copy
        assertEquals("adam", c.training().optimizer());
        assertEquals(0.01, c.training().lr());
        assertEquals(128, c.training().batchSize());
        assertEquals(20, c.training().epochs());
        assertEquals("seed4", c.labels());
        FeatureConfig features = ((FeatureSection.Mel) c.features().get(ModelSpec.SINGLE_INPUT)).config();
        assertEquals(3.0, features.clipSeconds());
        assertEquals("none", features.normalize());
        assertEquals(new SplitConfig("random", 0.1, 0.1, 42, 2, 2, List.of(), List.of(), 5, false), c.split());
        assertEquals(AugmentConfig.NONE, c.augment());
        assertEquals(128, features.mel().nMels());
        assertEquals(15, c.model().layers().size());
    }

    @Test
    void ourRecipeLoadsAndDefaultsToSpeakerIndependence(@TempDir Path dir) throws IOException {
        TrainConfig ours = TrainConfig.load(Path.of("train-mel.yaml"));
        assertEquals("speakers", ours.split().kind());
        Files.writeString(dir.resolve("m.yaml"), TinyRuns.MODEL);
        Files.writeString(dir.resolve("c.yaml"), "model: m.yaml\n");
        TrainConfig bare = TrainConfig.load(dir.resolve("c.yaml"));
        assertEquals("speakers", bare.split().kind(), "speaker-independent unless a recipe asks otherwise");
    }

    @Test
    void anotherSeedKeepsTheSplit(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("m.yaml"), TinyRuns.MODEL);
        Files.writeString(dir.resolve("c.yaml"), "model: m.yaml\nseed: 5\nsplit: {kind: kfold, folds: 3}\n");
        TrainConfig recipe = TrainConfig.load(dir.resolve("c.yaml"));
        assertEquals(5, recipe.split().seed(), "a split without a seed of its own takes the recipe's");
        TrainConfig swept = recipe.withSeed(7);
        assertEquals(7, swept.seed());
        assertEquals(recipe.split(), swept.split(), "the same folds whatever the run seed");
        swept.writeTo(dir.resolve("run"));
        TrainConfig reread = TrainConfig.load(dir.resolve("run").resolve(TrainConfig.CONFIG));
        assertEquals(7, reread.seed());
        assertEquals(5, reread.split().seed());
    }

    @Test
    void mistakesAreOneLineErrorsNamingTheFileAndTheKey(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("m.yaml"), TinyRuns.MODEL);
        assertError(dir, "model: m.yaml\noptimiser: adam\n", "unknown key 'optimiser'");
        assertError(dir, "model: m.yaml\ntraining: {lr: 0.1, epoch: 3}\n", "unknown key 'training.epoch'");
        assertError(dir, "model: m.yaml\ntraining: {lr: fast}\n", "key 'training.lr' must be a number, got 'fast'");
        assertError(dir, "model: m.yaml\ntraining: {optimizer: lbfgs}\n", "key 'training.optimizer' must be one of adam, adamw, sgd");
        assertError(dir, "model: m.yaml\nsplit: {kind: random, folds: 5}\n", "unknown key 'split.folds'");
        assertError(dir, "model: m.yaml\nsplit: {kind: speakers, val_speakers: [\"01\"], test_speakers: 2}\n",
                "must both be counts or both be lists");
        assertError(dir, "model: nowhere.yaml\n", "key 'model' names 'nowhere.yaml', which is neither a file");
        assertError(dir, "seed: 1\n", "missing key 'model'");
        assertError(dir, "model: m.yaml\nfeatures: {clip_seconds: -1}\n", "key 'features.clip_seconds' must be in (0, 600]");
        assertError(dir, "model: m.yaml\ntraining: {batch_size: 0}\n", "key 'training.batch_size' must be in [1, 65536], got 0");
        assertError(dir, "model: m.yaml\ntraining: {batch_size: 2000000000}\n",
                "key 'training.batch_size' must be in [1, 65536], got 2000000000");
        assertError(dir, "model: m.yaml\naugment: {time_masks: 2000000000}\n", "key 'augment.time_masks' must be in [0, 100]");
        assertError(dir, "model: m.yaml\ntraining: {lr: .nan}\n", "key 'training.lr' must be a finite number, got '.nan'");
        assertError(dir, "model: m.yaml\nseed: 1\nseed: 2\n", "duplicate key seed at line 3");
        assertError(dir, "model: m.yaml\n  - broken: [\n", "not valid YAML");
    }

    @Test
    void deviceIsARecipeKeyThatTheJobsChoiceOverrides(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("m.yaml"), TinyRuns.MODEL);
        Files.writeString(dir.resolve("c.yaml"), "model: m.yaml\n");
        assertEquals(null, TrainConfig.load(dir.resolve("c.yaml")).device(), "no key: the job's choice, else the CPU");
        Files.writeString(dir.resolve("d.yaml"), "model: m.yaml\ndevice: auto:tf32\n");
        TrainConfig recipe = TrainConfig.load(dir.resolve("d.yaml"));
        assertEquals(new Devices.Spec("auto", "tf32"), recipe.device());

        List<String> notices = new ArrayList<>();
        assertEquals("cpu", recipe.openDevice(null, notices::add).name(), "no GPU here: auto falls back");
        assertEquals(1, notices.size(), notices.toString());
        notices.clear();
        assertEquals("cpu", recipe.openDevice("cpu", notices::add).name(), "the job's choice wins");
        assertTrue(notices.isEmpty(), notices.toString());
        assertThrows(SerException.class, () -> recipe.openDevice("absent", n -> {}));

        recipe.writeTo(dir.resolve("run"));
        assertEquals(recipe.device(), TrainConfig.load(dir.resolve("run").resolve(TrainConfig.CONFIG)).device(),
                "the run's config.yaml keeps it, so that --resume runs where the recipe asked");
        TrainConfig.load(dir.resolve("c.yaml")).writeTo(dir.resolve("bare"));
        assertTrue(!Files.readString(dir.resolve("bare").resolve(TrainConfig.CONFIG)).contains("device"));
    }

    @Test
    void aBadDeviceNamesTheRecipe(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("m.yaml"), TinyRuns.MODEL);
        assertError(dir, "model: m.yaml\ndevice: ':fp32'\n", "device ':fp32' is not one of");
        assertError(dir, "model: m.yaml\ndevice: cpu:bf16\n", "the CPU backend has one precision, fp32");
        assertError(dir, "model: m.yaml\ndevice: 'cuda:'\n", "is not one of " + Devices.SPECS);
        assertError(dir, "model: m.yaml\ndevices: cuda\n", "unknown key 'devices'");
        // A device this build does not have is found when the job opens it; the recipe that asked is named.
        Files.writeString(dir.resolve("tpu.yaml"), "model: m.yaml\ndevice: tpu\n");
        TrainConfig tpu = TrainConfig.load(dir.resolve("tpu.yaml"));
        SerException e = assertThrows(SerException.class, () -> tpu.openDevice(null, n -> {}));
        assertTrue(e.getMessage().startsWith(dir.resolve("tpu.yaml") + ": device 'tpu' is not in this build"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void theHubertRecipesNameTheirInputsAndWeights() {
        TrainConfig fusion = TrainConfig.load(Path.of("train-fusion.yaml"));
        assertEquals(List.of("mel", "hubert"), List.copyOf(fusion.features().keySet()));
        assertTrue(fusion.features().get("mel") instanceof FeatureSection.Mel);
        HubertFeatureConfig h = ((FeatureSection.Hubert) fusion.features().get("hubert")).config();
        assertEquals("all", h.layers());
        assertTrue(h.pooled());
        assertEquals(Path.of("hubert-base.safetensors").toAbsolutePath(), h.weights(), "a built-in recipe's weights are sought in the working directory");
        HubertFeatureConfig seed = ((FeatureSection.Hubert) TrainConfig.load(Path.of("train-hubert-seed.yaml"))
                .features().get(ModelSpec.SINGLE_INPUT)).config();
        assertEquals("last", seed.layers());
        assertEquals("none", ((FeatureSection.Hubert) TrainConfig.load(Path.of("train-hubert.yaml"))
                .features().get(ModelSpec.SINGLE_INPUT)).config().pool());
    }

    @Test
    void featureSectionMistakesNameTheKey(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("m.yaml"), TinyRuns.MODEL);
        Files.writeString(dir.resolve("fused.yaml"), "branches:\n  a: [flatten]\n  b: [flatten]\nfusion: concat\nlayers: [linear: classes]\n");
        String hubert = "{kind: hubert, weights: w.safetensors";
        assertError(dir, "model: m.yaml\nfeatures: " + hubert + ", pool: max}\n", "key 'features.pool' must be one of mean, none");
        assertError(dir, "model: m.yaml\nfeatures: " + hubert + ", layers: twelve}\n", "key 'features.layers' must be all, last, an index");
        assertError(dir, "model: m.yaml\nfeatures: " + hubert + ", max_seconds: -1}\n", "key 'features.max_seconds' must be in [0, 3600]");
        assertError(dir, "model: m.yaml\nfeatures: " + hubert + ", pooling: mean}\n", "unknown key 'features.pooling'");
        assertError(dir, "model: m.yaml\nfeatures: {kind: wav2vec}\n", "key 'features.kind' must be one of mel, hubert");
        assertError(dir, "model: m.yaml\nfeatures: {a: {kind: mel}, b: {kind: mel}}\n", "names inputs [a, b], but m.yaml reads one input");
        assertError(dir, "model: fused.yaml\nfeatures: {kind: mel}\n", "must name the inputs of fused.yaml's branches, [a, b], got a single section");
        assertError(dir, "model: fused.yaml\nfeatures: {a: {kind: mel}, c: {kind: mel}}\n", "got [a, c]");
        assertError(dir, "model: fused.yaml\nfeatures: {a: {kind: mel, clip: 3}, b: {kind: mel}}\n", "unknown key 'features.a.clip'");
    }

    @Test
    void splitOptionsGiveTheirKindOfSplit() {
        List<Utterance> corpus = new ArrayList<>();
        for (int s = 1; s <= 6; s++) {
            for (int i = 0; i < 8; i++) {
                corpus.add(new Utterance(Path.of("s" + s + "/" + i + ".wav"), TinyRuns.LABELS.get(i % 3), "s" + s,
                        Utterance.Gender.UNKNOWN, null, null));
            }
        }
        Split random = split("split: {kind: random, val: 0.25, test: 0.25, seed: 3}").apply(corpus).getFirst();
        assertEquals(48, random.train().size() + random.val().size() + random.test().size());
        assertTrue(random.test().size() >= 11 && random.test().size() <= 13, "a quarter, per label");

        Split held = split("split: {kind: speakers, val_speakers: 1, test_speakers: 2}").apply(corpus).getFirst();
        assertEquals(2, speakers(held.test()).size());
        assertEquals(1, speakers(held.val()).size());
        assertTrue(disjoint(speakers(held.train()), speakers(held.test())));

        Split named = split("split: {kind: speakers, val_speakers: [s2], test_speakers: [s5, s6]}").apply(corpus).getFirst();
        assertEquals(Set.of("s5", "s6"), speakers(named.test()));
        assertEquals(Set.of("s2"), speakers(named.val()));

        List<Split> folds = split("split: {kind: kfold, folds: 3, val_speakers: 1}").apply(corpus);
        assertEquals(3, folds.size());
        Set<String> tested = new HashSet<>();
        for (Split f : folds) {
            assertEquals(2, speakers(f.test()).size());
            assertTrue(disjoint(speakers(f.train()), speakers(f.test())));
            tested.addAll(speakers(f.test()));
        }
        assertEquals(6, tested.size(), "every speaker is tested exactly once over the folds");
    }

    private static SplitConfig split(String yaml) {
        ConfigNode root = ConfigNode.parse(yaml, Path.of("s.yaml"));
        SplitConfig c = SplitConfig.read(root.node("split"), 42);
        root.finish();
        return c;
    }

    private static Set<String> speakers(List<Utterance> part) {
        Set<String> s = new HashSet<>();
        for (Utterance u : part) s.add(u.speaker());
        return s;
    }

    private static boolean disjoint(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both.isEmpty();
    }

    private static void assertError(Path dir, String yaml, String expected) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml);
        SerException e = assertThrows(SerException.class, () -> TrainConfig.load(file));
        assertTrue(e.getMessage().startsWith(file + ": ") || e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
