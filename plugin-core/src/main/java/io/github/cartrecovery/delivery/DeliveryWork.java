package io.github.cartrecovery.delivery;

import io.github.cartrecovery.scheduling.ScheduledWork;

/**
 * The delivery job: sends due messages in batches of {@code batchSize} until none is due, the SMTP server is
 * unreachable, or {@code maxPerRun} were handled (sent, skipped by an exit rule, or failed), so one run drains a
 * backlog without holding the job forever. The batches of a run share one SMTP connection, closed when the run
 * ends.
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

    /** Returns how many messages the run sent. */
    @Override
    public int run() {
        int handled = 0;
        int sent = 0;
        try {
            while (handled < maxPerRun) {
                MessageDelivery.Batch batch = delivery.deliverBatch(Math.min(batchSize, maxPerRun - handled));
                handled += batch.claimed;
                sent += batch.sent;
                if (!batch.goOn) {
                    break;
                }
            }
        } finally {
            delivery.closeIdleConnection();
        }
        return sent;
    }
}
