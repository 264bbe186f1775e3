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
 */
public record AugmentConfig(int timeMasks, int timeMaskWidth, int freqMasks, int freqMaskWidth, double mixup) {

    /** Masks per example, and their width in frames or bands: each mask is a loop over its width, per example. */
    public static final int MAX_MASKS = 100, MAX_MASK_WIDTH = 10_000;

    public static final AugmentConfig NONE = new AugmentConfig(0, 0, 0, 0, 0);

    static AugmentConfig read(ConfigNode a) {
        AugmentConfig c = new AugmentConfig(a.integer("time_masks", 0, 0, MAX_MASKS),
                a.integer("time_mask_width", 0, 0, MAX_MASK_WIDTH), a.integer("freq_masks", 0, 0, MAX_MASKS),
                a.integer("freq_mask_width", 0, 0, MAX_MASK_WIDTH), a.number("mixup", 0));
        for (var e : c.toYaml().entrySet()) {
            if (((Number) e.getValue()).doubleValue() < 0) throw a.error(e.getKey(), "must be >= 0, got " + e.getValue());
        }
        return c;
    }

    public boolean specAugment() {
        return timeMasks > 0 && timeMaskWidth > 0 || freqMasks > 0 && freqMaskWidth > 0;
    }

    Map<String, Object> toYaml() {
        return Yamls.map("time_masks", timeMasks, "time_mask_width", timeMaskWidth, "freq_masks", freqMasks,
                "freq_mask_width", freqMaskWidth, "mixup", mixup);
    }
}
