package ser.data;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The emotions the supported corpora use, under one three-letter code each, so that "angry" (RAVDESS), "ANG"
 * (CREMA-D), "W" (EmoDB, Wut) and "anger" in someone's CSV all become {@code ANG}. The declaration order is the
 * class order of the "all" label set.
 */
public enum Emotion {
    NEU("neutral"),
    CAL("calm"),
    HAP("happy", "happiness", "joy"),
    SAD("sadness"),
    ANG("angry", "anger"),
    FEA("fear", "fearful"),
    DIS("disgust", "disgusted"),
    SUR("surprise", "surprised"),
    BOR("boredom", "bored");

    private static final Map<String, Emotion> BY_ALIAS = new HashMap<>();

    static {
        for (Emotion e : values()) {
            BY_ALIAS.put(e.name().toLowerCase(Locale.ROOT), e);
            for (String alias : e.aliases) BY_ALIAS.put(alias, e);
        }
    }

    private final String[] aliases;

    Emotion(String... aliases) {
        this.aliases = aliases;
    }

    /** The canonical code of a known emotion name (any case), else {@code raw} itself, trimmed. */
    public static String canonical(String raw) {
        Emotion e = BY_ALIAS.get(raw.strip().toLowerCase(Locale.ROOT));
        return e == null ? raw.strip() : e.name();
    }

    /** Position of a code in the canonical order; labels outside it sort after every known one. */
    static int order(String code) {
        Emotion e = BY_ALIAS.get(code.toLowerCase(Locale.ROOT));
        return e == null ? values().length : e.ordinal();
    }
}
