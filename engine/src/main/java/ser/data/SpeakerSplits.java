package ser.data;

import ser.SerException;
import ser.data.Utterance.Gender;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Speaker-independent splits: every speaker's utterances fall in exactly one part, so a model is tested on
 * voices it never heard.
 *
 * <p>Seeded choices are gender-stratified when genders are known: speakers are grouped by gender, each group
 * sorted by id and shuffled (Fisher-Yates, {@link SplittableRandom}, as in {@link Splits}), and
 * <ul>
 *   <li>for a hold-out, the groups are merged so that every prefix of the order keeps the groups' proportions
 *       (next comes the group with the smallest {@code (taken + 0.5) / size}), and test then validation speakers
 *       are taken from the front;</li>
 *   <li>for k folds, the groups are dealt one after another round-robin onto the folds, so each fold gets its
 *       share of each gender (differing by one at most). A fold's validation speakers are then chosen from the
 *       other folds' speakers as for a hold-out, seeded by the fold number.</li>
 * </ul>
 */
public final class SpeakerSplits {

    private SpeakerSplits() {}

    /** A hold-out with the given validation and test speakers; all other speakers train. */
    public static Split holdout(List<Utterance> utterances, Collection<String> valSpeakers, Collection<String> testSpeakers) {
        Map<String, Gender> speakers = speakers(utterances);
        for (String s : union(valSpeakers, testSpeakers)) {
            if (!speakers.containsKey(s)) {
                throw new SerException("speaker '" + s + "' is not in the corpus (speakers: " + speakers.keySet() + ")");
            }
        }
        Set<String> overlap = new TreeSet<>(valSpeakers);
        overlap.retainAll(testSpeakers);
        if (!overlap.isEmpty()) throw new SerException("speakers " + overlap + " are in both validation and test");
        return partition("speakers val " + new TreeSet<>(valSpeakers) + " test " + new TreeSet<>(testSpeakers),
                utterances, Set.copyOf(valSpeakers), Set.copyOf(testSpeakers));
    }

    /** A seeded, gender-stratified hold-out of {@code nVal} validation and {@code nTest} test speakers. */
    public static Split holdout(List<Utterance> utterances, int nVal, int nTest, long seed) {
        Map<String, Gender> speakers = speakers(utterances);
        if (nVal < 0 || nTest < 0 || nVal + nTest >= speakers.size()) {
            throw new SerException("cannot hold out " + nVal + " validation and " + nTest + " test speakers of "
                    + speakers.size() + " and keep some to train on");
        }
        List<String> order = proportionalOrder(speakers, new SplittableRandom(seed));
        Set<String> test = new HashSet<>(order.subList(0, nTest));
        Set<String> val = new HashSet<>(order.subList(nTest, nTest + nVal));
        return partition("speaker hold-out seed " + seed, utterances, val, test);
    }

    /**
     * A seeded hold-out of {@code nVal} validation and {@code nTest} test speakers from each corpus
     * ({@link Utterance#corpus}), each corpus drawn as {@link #holdout(List, int, int, long)} draws one.
     */
    public static Split holdoutPerCorpus(List<Utterance> utterances, int nVal, int nTest, long seed) {
        Map<String, List<Utterance>> byCorpus = new TreeMap<>();
        for (Utterance u : utterances) byCorpus.computeIfAbsent(String.valueOf(u.corpus()), c -> new ArrayList<>()).add(u);
        Set<String> val = new HashSet<>(), test = new HashSet<>();
        for (var e : byCorpus.entrySet()) {
            Split one = holdout(e.getValue(), nVal, nTest, Splits.seedFor(seed, e.getKey()));
            one.val().forEach(u -> val.add(u.speaker()));
            one.test().forEach(u -> test.add(u.speaker()));
        }
        return partition("speaker hold-out per corpus seed " + seed, utterances, val, test);
    }

    /** {@code k} folds of whole speakers; fold i tests on its speakers and validates on {@code nVal} others. */
    public static List<Split> folds(List<Utterance> utterances, int k, int nVal, long seed) {
        Map<String, Gender> speakers = speakers(utterances);
        int n = speakers.size();
        if (k < 2 || k > n) throw new SerException("k-fold needs 2 <= k <= speakers (" + n + "), got k = " + k);
        if (nVal < 0 || nVal >= n - (n + k - 1) / k) {
            throw new SerException("cannot take " + nVal + " validation speakers per fold from " + n + " speakers in "
                    + k + " folds and keep some to train on");
        }
        List<Set<String>> foldSpeakers = new ArrayList<>();
        for (int f = 0; f < k; f++) foldSpeakers.add(new HashSet<>());
        int next = 0;
        SplittableRandom rng = new SplittableRandom(seed);
        for (List<String> group : shuffledGroups(speakers, rng).values()) {
            for (String s : group) foldSpeakers.get(next++ % k).add(s);
        }
        List<Split> splits = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            Set<String> test = foldSpeakers.get(f);
            Map<String, Gender> rest = new TreeMap<>(speakers);
            rest.keySet().removeAll(test);
            List<String> order = proportionalOrder(rest, new SplittableRandom(Splits.seedFor(seed, "fold " + f)));
            Set<String> val = new HashSet<>(order.subList(0, nVal));
            splits.add(partition("fold " + (f + 1) + "/" + k + " seed " + seed, utterances, val, test));
        }
        return splits;
    }

    private static Split partition(String name, List<Utterance> utterances, Set<String> val, Set<String> test) {
        List<Utterance> tr = new ArrayList<>(), va = new ArrayList<>(), te = new ArrayList<>();
        for (Utterance u : utterances) {
            (test.contains(u.speaker()) ? te : val.contains(u.speaker()) ? va : tr).add(u);
        }
        return new Split(name, Splits.byPath(tr), Splits.byPath(va), Splits.byPath(te));
    }

    /** Each speaker's gender (UNKNOWN when its utterances disagree); every utterance must name its speaker. */
    private static Map<String, Gender> speakers(List<Utterance> utterances) {
        Map<String, Gender> speakers = new TreeMap<>();
        for (Utterance u : utterances) {
            if (u.speaker() == null) {
                throw SerException.inFile(u.path(), "has no speaker id, which a speaker-independent split needs"
                        + " (add a speaker column to the manifest)");
            }
            speakers.merge(u.speaker(), u.gender(), (a, b) -> a == b ? a : Gender.UNKNOWN);
        }
        if (speakers.isEmpty()) throw new SerException("no utterances to split");
        return speakers;
    }

    /** Speakers grouped by gender (in Gender order), each group sorted by id and then shuffled. */
    private static Map<Gender, List<String>> shuffledGroups(Map<String, Gender> speakers, SplittableRandom rng) {
        Map<Gender, List<String>> groups = new EnumMap<>(Gender.class);
        speakers.forEach((s, g) -> groups.computeIfAbsent(g, x -> new ArrayList<>()).add(s)); // sorted: a TreeMap
        for (List<String> group : groups.values()) Splits.shuffle(group, rng);
        return groups;
    }

    /** The shuffled groups merged so that every prefix keeps the groups' proportions as closely as it can. */
    private static List<String> proportionalOrder(Map<String, Gender> speakers, SplittableRandom rng) {
        List<List<String>> groups = new ArrayList<>(shuffledGroups(speakers, rng).values());
        int[] taken = new int[groups.size()];
        List<String> order = new ArrayList<>();
        while (order.size() < speakers.size()) {
            int best = -1;
            for (int g = 0; g < groups.size(); g++) {
                if (taken[g] == groups.get(g).size()) continue;
                if (best < 0 || (taken[g] + 0.5) / groups.get(g).size() < (taken[best] + 0.5) / groups.get(best).size()) {
                    best = g;
                }
            }
            order.add(groups.get(best).get(taken[best]++));
        }
        return order;
    }

    private static Set<String> union(Collection<String> a, Collection<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }
}
