package io.github.cartrecovery.consent;

import io.github.cartrecovery.messages.MessageEventType;
import io.github.cartrecovery.messages.MessageEvents;
import io.github.cartrecovery.messages.PlannedMessages;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.suppression.SuppressedAddress;
import io.github.cartrecovery.suppression.SuppressionReason;
import io.github.cartrecovery.suppression.Suppressions;
import io.github.cartrecovery.metrics.PluginMetrics;

/**
 * Unsubscribe and resubscribe for the address a planned message went to. Unsubscribing is immediate and
 * idempotent, in one transaction: the address is suppressed ({@link Suppressions}, reason UNSUBSCRIBED, with
 * time and source), one UNSUBSCRIBED event is recorded for the message, and every message to that
 * address that has not been handed to SMTP yet (PLANNED, or CLAIMED or PREPARED by a delivery node: delivery
 * takes a row to SENDING conditionally just before it hands it to SMTP, so it then sends nothing) becomes SKIPPED with
 * outcome UNSUBSCRIBED. Messages planned later are stopped by delivery's SUPPRESSED exit rule. Repeating
 * it changes nothing and records nothing. Text messages (channel SMS) to the same shopper are left alone: they have
 * their own consent and opt-out list.
 */
public class Unsubscriptions {

    private final JdbcTemplate jdbc;
    private final Suppressions suppressions;
    private final TransactionTemplate transactions;
    private final Clock clock;

    private volatile PluginMetrics metrics = PluginMetrics.inMemory();

    public Unsubscriptions(DataSource dataSource, PlatformTransactionManager transactionManager, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.suppressions = new Suppressions(jdbc);
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** Where the plugin counts what happens (bean crMetrics); in memory only until set. */
    public void setMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Unsubscribes the address of this planned message; {@code source} says how ("one-click", "page").
     * Returns how many pending messages were stopped (0 on a repeat), or -1 when there is no such message.
     */
    public int unsubscribe(long plannedMessageId, String source) {
        try {
            return unsubscribeOnce(plannedMessageId, source);
        } catch (DuplicateKeyException concurrent) {
            // the address was suppressed at the same moment (another message, another node): run again, now a repeat
            return unsubscribeOnce(plannedMessageId, source);
        }
    }

    private int unsubscribeOnce(final long plannedMessageId, final String source) {
        return transactions.execute(new TransactionCallback<Integer>() {
            @Override
            public Integer doInTransaction(TransactionStatus status) {
                String email = emailOf(plannedMessageId);
                if (email == null) {
                    return -1;
                }
                Timestamp now = new Timestamp(clock.millis());
                if (suppressions.suppress(email, SuppressionReason.UNSUBSCRIBED, source + " (message " + plannedMessageId + ")",
                        now.toInstant())) {
                    MessageEvents.record(jdbc, plannedMessageId, MessageEventType.UNSUBSCRIBED, source, now.toInstant());
                }
                // emails only: texts are a separate consent (the SMS opt-out list), stopped by STOP, not by this
                List<Long> pending = jdbc.queryForList("SELECT ID FROM CR_PLANNED_MESSAGE WHERE EMAIL = ? "
                        + "AND CHANNEL = 'EMAIL' AND STATUS IN ('PLANNED', 'CLAIMED', 'PREPARED')", Long.class, email);
                return PlannedMessages.stopPending(jdbc, pending, "UNSUBSCRIBED", now.toInstant(), metrics);
            }
        });
    }

    /** Takes back an unsubscribe of this message's address (never a bounce or a suppression added by staff). */
    public boolean resubscribe(final long plannedMessageId) {
        return transactions.execute(new TransactionCallback<Boolean>() {
            @Override
            public Boolean doInTransaction(TransactionStatus status) {
                String email = emailOf(plannedMessageId);
                return email != null && suppressions.lift(email, SuppressionReason.UNSUBSCRIBED);
            }
        });
    }

    /** True when this message's address is suppressed for any reason. */
    public boolean isUnsubscribed(long plannedMessageId) {
        String email = emailOf(plannedMessageId);
        return email != null && suppressions.isSuppressed(email);
    }

    /** True when the address was unsubscribed (and could resubscribe from the page). */
    public boolean canResubscribe(long plannedMessageId) {
        String email = emailOf(plannedMessageId);
        return email != null && suppressions.isSuppressedFor(email, SuppressionReason.UNSUBSCRIBED);
    }

    private String emailOf(long plannedMessageId) {
        List<String> emails = jdbc.queryForList("SELECT EMAIL FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class,
                plannedMessageId);
        return emails.isEmpty() || emails.get(0) == null ? null : SuppressedAddress.of(emails.get(0));
    }
}
