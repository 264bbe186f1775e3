package ser.run;

import ser.config.ConfigNode;

import java.util.Map;

/**
 * Training-time augmentation ({@code augment:} in a train config), applied by {@code ser.train}; validation, test
 * and prediction never see it.
 *
 * @param timeMasks     SpecAugment time masks per example: runs of up to {@code timeMaskWidth} frames set to
 *                      the example's mean (Park et al. 2019)
 * @param freqMasks     likewise for runs of up to {@code freqMaskWidth} mel bands
 * @param mixup         the α of mixup's Beta(α, α) mixing weight (Zhang et al. 2018); 0 for none
 * @param eq            standard deviation of a random equaliser curve added to log-Mel inputs ({@code SpectralAugment})
 * @param warp          largest relative warp of the mel band axis (speaker, pitch)
 * @param stretch       largest relative stretch of the time axis (speaking rate)
 * @param noise         probability of coloured noise, {@code RoomAugment}; likewise {@code babble} (another
 *                      utterance underneath), {@code reverb} (a synthetic room) and {@code bandLimit} (a narrower
 *                      channel)
 * @param snrMin        the range of signal-to-noise ratios, in dB, that noise and babble are drawn from
 */
public record AugmentConfig(int timeMasks, int timeMaskWidth, int freqMasks, int freqMaskWidth, double mixup,
                            double eq, double warp, double stretch,
                            double noise, double babble, double reverb, double bandLimit, double snrMin, double snrMax) {

    /** Masks per example, and their width in frames or bands: each mask is a loop over its width, per example. */
    public static final int MAX_MASKS = 100, MAX_MASK_WIDTH = 10_000;

    public static final AugmentConfig NONE = new AugmentConfig(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 30);

    /** Without the room effects: the augmentation of recipes written before them. */
    public AugmentConfig(int timeMasks, int timeMaskWidth, int freqMasks, int freqMaskWidth, double mixup,
                         double eq, double warp, double stretch) {
        this(timeMasks, timeMaskWidth, freqMasks, freqMaskWidth, mixup, eq, warp, stretch, 0, 0, 0, 0, 5, 30);
    }

    static AugmentConfig read(ConfigNode a) {
        AugmentConfig c = new AugmentConfig(a.integer("time_masks", 0, 0, MAX_MASKS),
                a.integer("time_mask_width", 0, 0, MAX_MASK_WIDTH), a.integer("freq_masks", 0, 0, MAX_MASKS),
                a.integer("freq_mask_width", 0, 0, MAX_MASK_WIDTH), a.number("mixup", 0),
                a.number("eq", 0), a.number("warp", 0), a.number("stretch", 0),
                a.number("noise", 0), a.number("babble", 0), a.number("reverb", 0), a.number("band_limit", 0),
                a.number("snr_min", 5), a.number("snr_max", 30));
        for (String p : new String[] {"noise", "babble", "reverb", "band_limit"}) {
            if (a.number(p, 0) > 1) throw a.error(p, "is a probability, at most 1, got " + a.number(p, 0));
        }
        if (c.snrMin() > c.snrMax()) throw a.error("snr_min", "must not exceed snr_max");
        if (c.warp() >= 0.5) throw a.error("warp", "must be below 0.5, got " + c.warp());
        if (c.stretch() >= 0.5) throw a.error("stretch", "must be below 0.5, got " + c.stretch());
        for (var e : c.toYaml().entrySet()) {
            if (((Number) e.getValue()).doubleValue() < 0) throw a.error(e.getKey(), "must be >= 0, got " + e.getValue());
        }
        return c;
    }

    /** Whether raw-decibel room effects are on: the training inputs then arrive unnormalised. */
    public boolean room() {
        return noise > 0 || babble > 0 || reverb > 0 || bandLimit > 0;
    }

    public boolean spectral() {
        return eq > 0 || warp > 0 || stretch > 0;
    }

    public boolean specAugment() {
        return timeMasks > 0 && timeMaskWidth > 0 || freqMasks > 0 && freqMaskWidth > 0;
    }

    Map<String, Object> toYaml() {
        return Yamls.map("time_masks", timeMasks, "time_mask_width", timeMaskWidth, "freq_masks", freqMasks,
                "freq_mask_width", freqMaskWidth, "mixup", mixup, "eq", eq, "warp", warp, "stretch", stretch,
                "noise", noise, "babble", babble, "reverb", reverb, "band_limit", bandLimit, "snr_min", snrMin, "snr_max", snrMax);
    }
}
