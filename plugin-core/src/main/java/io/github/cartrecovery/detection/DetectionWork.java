package io.github.cartrecovery.detection;

import io.github.cartrecovery.scheduling.ScheduledWork;

/** The detection job: one {@link AbandonmentDetector#detect()} pass over every due cart. */
public class DetectionWork implements ScheduledWork {

    private final AbandonmentDetector detector;

    public DetectionWork(AbandonmentDetector detector) {
        this.detector = detector;
    }

    @Override
    public int run() {
        return detector.detect().changed();
    }
}
