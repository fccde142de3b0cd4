package io.github.cartrecovery.delivery;

import io.github.cartrecovery.scheduling.ScheduledWork;

/**
 * The delivery job: sends due messages in batches of {@code batchSize} until none is due or
 * {@code maxPerRun} were handled, so one run drains a backlog without holding the job forever. The
 * batches of a run share one SMTP connection, closed when the run ends.
 */
public class DeliveryWork implements ScheduledWork {

    private final MessageDelivery delivery;
    private final int batchSize;
    private final int maxPerRun;

    public DeliveryWork(MessageDelivery delivery, int batchSize, int maxPerRun) {
        if (batchSize < 1 || maxPerRun < batchSize) {
            throw new IllegalArgumentException("cartrecovery.delivery.batch-size must be at least 1 and at most"
                    + " cartrecovery.delivery.max-per-run (" + batchSize + ", " + maxPerRun + ")");
        }
        this.delivery = delivery;
        this.batchSize = batchSize;
        this.maxPerRun = maxPerRun;
    }

    @Override
    public int run() {
        int handled = 0;
        try {
            while (handled < maxPerRun) {
                int batch = delivery.deliverDue(batchSize);
                handled += batch;
                if (batch == 0) {
                    break;
                }
            }
        } finally {
            delivery.closeIdleConnection();
        }
        return handled;
    }
}
