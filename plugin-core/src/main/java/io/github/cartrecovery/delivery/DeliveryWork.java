package io.github.cartrecovery.delivery;

import io.github.cartrecovery.scheduling.ScheduledWork;

/**
 * The delivery job: sends due messages in batches until none is due, the SMTP server is unreachable, or
 * {@code maxPerRun} were handled (sent, skipped by an exit rule, or failed), so one run drains a backlog without
 * holding the job forever. A batch claims {@code batchSize} messages per sender ({@code cartrecovery.delivery.senders}),
 * so each sender gets a share as large as one sender alone would: its chunks stay full (the per-chunk statements and
 * commits are shared by as many messages), and a share takes as long to send as one sender's batch, which is what the
 * claim lease must outlast. The batches of a run share one SMTP connection per sender, closed when the run ends.
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
            int perBatch = batchSize * delivery.senders();
            while (handled < maxPerRun) {
                MessageDelivery.Batch batch = delivery.deliverBatch(Math.min(perBatch, maxPerRun - handled));
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
