package io.github.cartrecovery.experiment.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Holm's step-down correction (Holm 1979, "A simple sequentially rejective multiple test procedure") for an experiment
 * making several comparisons at once: it keeps the chance of any false "significant" at or below alpha (the
 * family-wise error rate), like Bonferroni, but rejects at least as much. Adjusted p-values: sort ascending,
 * {@code adj(i) = max over j <= i of min(1, (m - j + 1) p(j))}; a comparison is significant when its adjusted p-value
 * is below alpha.
 */
public final class HolmCorrection {

    private HolmCorrection() {
    }

    /** The adjusted p-values, in the order given. Null entries (no test possible) stay null and do not count in m. */
    public static Double[] adjust(Double[] pValues) {
        Integer[] order = new Integer[pValues.length];
        int m = 0;
        for (int i = 0; i < pValues.length; i++) {
            order[i] = i;
            if (pValues[i] != null) {
                if (!(pValues[i] >= 0 && pValues[i] <= 1)) {
                    throw new IllegalArgumentException("p-value " + i + " must be between 0 and 1, was " + pValues[i]);
                }
                m++;
            }
        }
        Arrays.sort(order, new Comparator<Integer>() {
            @Override
            public int compare(Integer a, Integer b) {
                Double pa = pValues[a];
                Double pb = pValues[b];
                if (pa == null || pb == null) {
                    return pa == null ? (pb == null ? 0 : 1) : -1;
                }
                return Double.compare(pa, pb);
            }
        });
        Double[] adjusted = new Double[pValues.length];
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }
}
