package io.github.cartrecovery.delivery;

import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.channel.DeliveryReceipts;
import io.github.cartrecovery.messages.MessageEventType;
import io.github.cartrecovery.messages.MessageEvents;

/**
 * Records provider receipts (bean {@code crDeliveryReceipts}): one DELIVERED or UNDELIVERED event per message, and
 * the message's OUTCOME once it is SENT. A receipt may overtake the SENT record (the provider answers faster than
 * the next hand-over commits): its event is kept and the outcome is left to the SENT record.
 */
public class ProviderReceipts implements DeliveryReceipts {

    /** The message exists on that channel and the reference matches, or none is recorded yet. */
    private static final String KNOWN = "SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE ID = ? AND CHANNEL = ? "
            + "AND (PROVIDER_REF = ? OR PROVIDER_REF IS NULL) AND STATUS IN ('SENDING', 'SENT', 'UNCONFIRMED')";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public ProviderReceipts(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Override
    public boolean delivered(String channel, long plannedMessageId, String providerReference, Instant at) {
        return receipt(channel, plannedMessageId, providerReference, MessageEventType.DELIVERED, null, at);
    }

    @Override
    public boolean undelivered(String channel, long plannedMessageId, String providerReference, String detail, Instant at) {
        return receipt(channel, plannedMessageId, providerReference, MessageEventType.UNDELIVERED, detail, at);
    }

    private boolean receipt(final String channel, final long id, final String reference, final MessageEventType type,
                            final String detail, final Instant at) {
        return transactions.execute(new TransactionCallback<Boolean>() {
            @Override
            public Boolean doInTransaction(TransactionStatus status) {
                Integer known = jdbc.queryForObject(KNOWN, Integer.class, id, channel, reference);
                if (known == null || known == 0) {
                    return false;
                }
                if (!MessageEvents.has(jdbc, id, type)) {
                    MessageEvents.record(jdbc, id, type, detail, at);
                }
                // the outcome of a SENT message says what the provider learnt last; UNDELIVERED is never undone by a
                // late DELIVERED of an earlier attempt's callback, since a message is handed over once
                jdbc.update("UPDATE CR_PLANNED_MESSAGE SET OUTCOME = ?, UPDATED_AT = ? WHERE ID = ? AND STATUS = 'SENT' "
                        + "AND (OUTCOME IS NULL OR OUTCOME <> 'UNDELIVERED')", type.name(),
                        new Timestamp(at.toEpochMilli()), id);
                return true;
            }
        });
    }
}
