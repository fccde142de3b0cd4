package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** One delivery run: how long it keeps claiming batches. */
class DeliveryWorkTest {

    private final MessageDelivery delivery = mock(MessageDelivery.class);

    @Test
    void aBatchWhoseMessagesWereAllSkippedDoesNotEndTheRun() {
        // e.g. a backlog of carts bought before their messages were due: exit rules skip a whole batch
        when(delivery.deliverBatch(anyInt())).thenReturn(new MessageDelivery.Batch(5, 0, true),
                new MessageDelivery.Batch(5, 5, true), MessageDelivery.Batch.NONE);

        int sent = new DeliveryWork(delivery, 5, 100).run();

        assertThat(sent).isEqualTo(5);
        InOrder order = inOrder(delivery);
        order.verify(delivery, times(3)).deliverBatch(5);
        order.verify(delivery).closeIdleConnection();
    }

    @Test
    void anUnreachableSmtpServerEndsTheRun() {
        when(delivery.deliverBatch(anyInt())).thenReturn(new MessageDelivery.Batch(5, 0, false),
                new MessageDelivery.Batch(5, 5, true));

        assertThat(new DeliveryWork(delivery, 5, 100).run()).isZero();
        verify(delivery, times(1)).deliverBatch(anyInt());
        verify(delivery).closeIdleConnection();
    }

    @Test
    void aRunHandlesAtMostMaxPerRunMessages() {
        when(delivery.deliverBatch(anyInt())).thenAnswer(call -> new MessageDelivery.Batch(call.getArgument(0), 0, true));

        new DeliveryWork(delivery, 5, 12).run();

        InOrder order = inOrder(delivery);
        order.verify(delivery, times(2)).deliverBatch(5);
        order.verify(delivery).deliverBatch(2);
        order.verify(delivery).closeIdleConnection();
    }
}
