package ser.train;

import ser.config.ConfigNode;

import java.util.Map;

/**
 * Training-time augmentation ({@code augment:} in a train config); validation, test and prediction never see it.
 *
 * @param timeMasks     SpecAugment time masks per example: runs of up to {@code timeMaskWidth} frames set to
 *                      the example's mean (Park et al. 2019)
 * @param freqMasks     likewise for runs of up to {@code freqMaskWidth} mel bands
 * @param mixup         the α of mixup's Beta(α, α) mixing weight (Zhang et al. 2018); 0 for none
 * @param eq            standard deviation of a random equaliser curve added to log-Mel inputs ({@link SpectralAugment})
 * @param warp          largest relative warp of the mel band axis (speaker, pitch)
 * @param stretch       largest relative stretch of the time axis (speaking rate)
 */
public record AugmentConfig(int timeMasks, int timeMaskWidth, int freqMasks, int freqMaskWidth, double mixup,
                            double eq, double warp, double stretch) {

    public static final AugmentConfig NONE = new AugmentConfig(0, 0, 0, 0, 0, 0, 0, 0);

    static AugmentConfig read(ConfigNode a) {
        AugmentConfig c = new AugmentConfig(a.integer("time_masks", 0), a.integer("time_mask_width", 0),
                a.integer("freq_masks", 0), a.integer("freq_mask_width", 0), a.number("mixup", 0),
                a.number("eq", 0), a.number("warp", 0), a.number("stretch", 0));
        if (c.warp() >= 0.5) throw a.error("warp", "must be below 0.5, got " + c.warp());
        if (c.stretch() >= 0.5) throw a.error("stretch", "must be below 0.5, got " + c.stretch());
        for (var e : c.toYaml().entrySet()) {
            if (((Number) e.getValue()).doubleValue() < 0) throw a.error(e.getKey(), "must be >= 0, got " + e.getValue());
        }
        return c;
    }

    public boolean spectral() {
        return eq > 0 || warp > 0 || stretch > 0;
    }

    public boolean specAugment() {
        return timeMasks > 0 && timeMaskWidth > 0 || freqMasks > 0 && freqMaskWidth > 0;
    }

    Map<String, Object> toYaml() {
        return Yamls.map("time_masks", timeMasks, "time_mask_width", timeMaskWidth, "freq_masks", freqMasks,
                "freq_mask_width", freqMaskWidth, "mixup", mixup, "eq", eq, "warp", warp, "stretch", stretch);
    }
}
