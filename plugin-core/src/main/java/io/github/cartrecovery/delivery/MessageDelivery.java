package io.github.cartrecovery.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.coupon.CouponIssuer;
import io.github.cartrecovery.coupon.IssuedCoupon;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.rendering.RecoveryCartReader;
import io.github.cartrecovery.rendering.RenderedEmail;

/**
 * Sends due planned messages over SMTP. Entry point {@link #deliverDue(int)}: safe on every node at once.
 *
 * <h3>How one batch runs</h3>
 * <ol>
 * <li>Expired leases are cleaned up: CLAIMED rows whose node vanished go back to PLANNED (nothing was
 * sent for them); SENDING rows whose node vanished become UNCONFIRMED (see below).</li>
 * <li>Up to {@code max} due rows are claimed for this node with a lease ({@link ClaimQuery}, per database).</li>
 * <li>One SMTP connection is opened for the batch. If it cannot be opened, nothing was sent: every
 * claimed row goes back to PLANNED with exponential back-off.</li>
 * <li>Per row, in one transaction: the row is re-taken (conditional update: still CLAIMED by this node),
 * the exit rules are checked against Broadleaf's tables ({@link ExitRules}), the email is rendered, and
 * the row is marked SENDING with its stable Message-ID. Commit. A purchase committed before this point
 * stops the message.</li>
 * <li>The message is handed to SMTP. Then, in a second transaction: SENT; or, for a 4xx reply, PLANNED
 * again with back-off (FAILED after the last attempt); for a 5xx reply, FAILED and the address is
 * suppressed; for any other error while sending, UNCONFIRMED. A message that cannot even be prepared
 * (an unusable address, a broken template) is FAILED with outcome PREPARE_ERROR and the batch goes on;
 * a lost lock race (deadlock, lock timeout) only puts the row back to PLANNED.</li>
 * </ol>
 *
 * <h3>Exactly once, and the remaining window</h3>
 * A message is only handed to SMTP after its row is committed as SENDING, and only SENT, FAILED or
 * PLANNED (after a definite 4xx rejection) ever leave SENDING. So no row is sent twice by this code.
 * The one window: a crash (or lost connection) after the SMTP server accepted DATA and before SENT is
 * committed leaves the row SENDING. Its lease then expires and it becomes UNCONFIRMED: it is NOT
 * retried, so the shopper may miss one message but never gets two. The Message-ID is fixed per planned
 * message ({@code <cr-<id>@domain>}), so a receiving system that de-duplicates by Message-ID would also
 * fold a repeat. A purchase committed after step 4's commit and before the DATA reaches the server
 * (milliseconds) is the remaining exit-rule window.
 */
public class MessageDelivery {

    private static final Log LOG = LogFactory.getLog(MessageDelivery.class);
    private static final Duration LEASE = Duration.ofMinutes(10);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ClaimQuery claims;
    private final ExitRules exitRules;
    private final CampaignRepository campaigns;
    private final RecoveryCartReader carts;
    private final EmailRenderer renderer;
    private final RecoveryLinks links;
    private final SmtpMailer mailer;
    private final Clock clock;
    private final String nodeId;
    private final RecoveryMessageBuilder messages;
    private final Duration firstRetry;
    private final int maxAttempts;

    public MessageDelivery(DataSource dataSource, PlatformTransactionManager transactionManager, ClaimQuery claims,
                           ExitRules exitRules, CampaignRepository campaigns, RecoveryCartReader carts,
                           EmailRenderer renderer, RecoveryLinks links, RecoveryMessageBuilder messages,
                           SmtpMailer mailer, Clock clock, String nodeId, int firstRetryMinutes, int maxAttempts) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.claims = claims;
        this.exitRules = exitRules;
        this.campaigns = campaigns;
        this.carts = carts;
        this.renderer = renderer;
        this.links = links;
        this.mailer = mailer;
        this.clock = clock;
        this.nodeId = nodeId == null || nodeId.trim().isEmpty() ? defaultNodeId() : nodeId.trim();
        this.messages = messages;
        this.firstRetry = Duration.ofMinutes(firstRetryMinutes);
        this.maxAttempts = maxAttempts;
    }

    /** Coupons (issue 5): optional, so delivery works without them; set by the core patch file. */
    private volatile CouponIssuer coupons;

    public void setCoupons(CouponIssuer coupons) {
        this.coupons = coupons;
    }

    /** Delivers up to {@code maxMessages} due messages; returns how many were sent. */
    public int deliverDue(final int maxMessages) {
        final Instant now = clock.instant();
        try {
            transactions.execute(new TransactionCallback<Void>() {
                @Override
                public Void doInTransaction(TransactionStatus status) {
                    cleanUpExpiredLeases(now);
                    return null;
                }
            });
        } catch (RuntimeException e) {
            if (!LockRace.is(e)) {
                throw e;
            }
            LOG.debug("Cart Recovery: lease clean-up lost a lock race; the next run repeats it", e);
        }
        List<Long> claimed;
        try {
            claimed = transactions.execute(new TransactionCallback<List<Long>>() {
                @Override
                public List<Long> doInTransaction(TransactionStatus status) {
                    return claims.claim(jdbc, nodeId, now, now.plus(LEASE), maxMessages);
                }
            });
        } catch (RuntimeException e) {
            if (!LockRace.is(e)) {
                throw e;
            }
            LOG.info("Cart Recovery: claim lost a lock race (" + e.getMessage() + "); the next run claims again");
            return 0;
        }
        if (claimed == null || claimed.isEmpty()) {
            return 0;
        }
        SmtpMailer.Connection smtp;
        try {
            smtp = mailer.open();
        } catch (MessagingException e) {
            LOG.warn("Cart Recovery: SMTP server unreachable, " + claimed.size() + " messages rescheduled: " + e);
            for (Long id : claimed) {
                retryLater(id, MessageStatus.CLAIMED, "SMTP unreachable: " + e.getMessage());
            }
            return 0;
        }
        int sent = 0;
        try {
            for (Long id : claimed) {
                if (deliverOne(id, smtp)) {
                    sent++;
                }
            }
        } finally {
            smtp.close();
        }
        return sent;
    }

    private boolean deliverOne(final long id, SmtpMailer.Connection smtp) {
        final Instant now = clock.instant();
        final MimeMessage[] prepared = new MimeMessage[1];
        try {
            transactions.execute(new TransactionCallback<Void>() {
                @Override
                public Void doInTransaction(TransactionStatus status) {
                    prepared[0] = prepare(id, now);
                    return null;
                }
            });
        } catch (RuntimeException e) {
            if (LockRace.is(e)) {
                // Nothing was sent and nothing is wrong with the message (a deadlock, a lock timeout): let it go again.
                releaseClaim(id);
            } else {
                // Nothing was sent; one bad message (unusable address, broken template) must not block the batch.
                failBeforeSending(id, e);
            }
            return false;
        }
        if (prepared[0] == null) {
            return false;
        }
        try {
            smtp.send(prepared[0]);
        } catch (MessagingException e) {
            recordFailure(id, e);
            return false;
        }
        final Instant sentAt = clock.instant();
        for (int attempt = 1; ; attempt++) {
            try {
                transactions.execute(new TransactionCallback<Void>() {
                    @Override
                    public Void doInTransaction(TransactionStatus status) {
                        jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SENT', SENT_AT = ?, ATTEMPTS = ATTEMPTS + 1, "
                                + "LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND STATUS = 'SENDING'", ts(sentAt), ts(sentAt), id);
                        event(id, "SENT", null, sentAt);
                        return null;
                    }
                });
                return true;
            } catch (RuntimeException e) {
                if (!LockRace.is(e)) {
                    throw e;
                }
                if (attempt == 3) {
                    // Sent but not recorded: the row stays SENDING and becomes UNCONFIRMED, never sent again.
                    LOG.warn("Cart Recovery: planned message " + id + " was sent but could not be recorded as SENT", e);
                    return true;
                }
            }
        }
    }

    /** Inside the row's transaction: re-take it, check exit rules, render, mark SENDING. Null = do not send. */
    private MimeMessage prepare(long id, Instant now) {
        int taken = jdbc.update("UPDATE CR_PLANNED_MESSAGE SET UPDATED_AT = ? WHERE ID = ? AND STATUS = 'CLAIMED' "
                + "AND CLAIMED_BY = ?", ts(now), id, nodeId);
        if (taken == 0) {
            return null; // lease lost to another node
        }
        PlannedMessageRow row = jdbc.queryForObject("SELECT m.ID, m.ORDER_ID, m.CAMPAIGN_ID, m.STEP_ID, m.EMAIL, "
                + "m.LOCALE_CODE, m.ATTEMPTS, c.ABANDONED_AT FROM CR_PLANNED_MESSAGE m "
                + "LEFT JOIN CR_CAPTURED_CART c ON c.ORDER_ID = m.ORDER_ID WHERE m.ID = ?", ROW, id);
        ExitReason exit = exitRules.check(jdbc, row, now);
        if (exit != null) {
            skip(id, exit, now);
            return null;
        }
        RecoveryCart cart = carts.read(jdbc, row.getOrderId());
        if (cart == null || cart.getLines().isEmpty()) {
            skip(id, ExitReason.NO_ITEMS_AVAILABLE, now);
            return null;
        }
        CampaignStep step = campaigns.step(row.getStepId());
        String subject = step.subjectFor(cart.getLocaleCode());
        IssuedCoupon coupon = coupons == null ? null : coupons.issueFor(id, row.getOrderId(), row.getEmail(), step, cart);
        RenderedEmail rendered = renderer.render(step.getTemplate(), subject, cart,
                new MessageLinks(links, id, row.getOrderId()), coupon);
        String messageId = messages.messageId(id);
        MimeMessage message = messages.build(mailer.session(), id, row.getEmail(), rendered);
        jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SENDING', MESSAGE_ID = ?, LEASE_UNTIL = ?, UPDATED_AT = ? "
                + "WHERE ID = ?", messageId, ts(now.plus(LEASE)), ts(now), id);
        return message;
    }

    private void releaseClaim(final long id) {
        try {
            transactions.execute(new TransactionCallback<Void>() {
                @Override
                public Void doInTransaction(TransactionStatus status) {
                    jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', CLAIMED_BY = NULL, LEASE_UNTIL = NULL, "
                            + "UPDATED_AT = ? WHERE ID = ? AND STATUS = 'CLAIMED' AND CLAIMED_BY = ?", ts(clock.instant()), id, nodeId);
                    return null;
                }
            });
        } catch (RuntimeException e) {
            if (!LockRace.is(e)) {
                throw e;
            }
            LOG.debug("Cart Recovery: could not release planned message " + id + "; its lease expires instead", e);
        }
    }

    private void failBeforeSending(final long id, final RuntimeException failure) {
        LOG.warn("Cart Recovery: planned message " + id + " could not be prepared and is marked FAILED: " + failure);
        transactions.execute(new TransactionCallback<Void>() {
            @Override
            public Void doInTransaction(TransactionStatus status) {
                Instant now = clock.instant();
                int failed = jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'FAILED', OUTCOME = 'PREPARE_ERROR', "
                        + "LAST_ERROR = ?, LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND STATUS = 'CLAIMED' AND CLAIMED_BY = ?",
                        truncate(failure.toString()), ts(now), id, nodeId);
                if (failed == 1) {
                    event(id, "FAILED", failure.toString(), now);
                }
                return null;
            }
        });
    }

    private void recordFailure(final long id, final MessagingException failure) {
        final SmtpFailure kind = SmtpFailure.of(failure);
        LOG.warn("Cart Recovery: planned message " + id + " not delivered (" + kind + "): " + failure);
        if (kind == SmtpFailure.TEMPORARY) {
            retryLater(id, MessageStatus.SENDING, failure.getMessage());
            return;
        }
        transactions.execute(new TransactionCallback<Void>() {
            @Override
            public Void doInTransaction(TransactionStatus status) {
                Instant now = clock.instant();
                MessageStatus next = kind == SmtpFailure.PERMANENT ? MessageStatus.FAILED : MessageStatus.UNCONFIRMED;
                jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = ?, OUTCOME = ?, LAST_ERROR = ?, ATTEMPTS = ATTEMPTS + 1, "
                        + "LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND STATUS = 'SENDING'",
                        next.name(), kind.name(), truncate(failure.toString()), ts(now), id);
                event(id, next.name(), failure.toString(), now);
                if (kind == SmtpFailure.PERMANENT) {
                    String email = jdbc.queryForObject("SELECT EMAIL FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class, id);
                    suppress(email, "BOUNCED", "smtp: " + failure.getMessage(), now);
                }
                return null;
            }
        });
    }

    /** Definitely not sent: back to PLANNED with exponential back-off, or FAILED after the last attempt. */
    private void retryLater(final long id, final MessageStatus from, final String error) {
        transactions.execute(new TransactionCallback<Void>() {
            @Override
            public Void doInTransaction(TransactionStatus status) {
                Instant now = clock.instant();
                Integer attempts = jdbc.queryForObject("SELECT ATTEMPTS FROM CR_PLANNED_MESSAGE WHERE ID = ?",
                        Integer.class, id);
                int attempt = (attempts == null ? 0 : attempts) + 1;
                if (attempt >= maxAttempts) {
                    jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'FAILED', OUTCOME = 'TOO_MANY_ATTEMPTS', "
                            + "ATTEMPTS = ?, LAST_ERROR = ?, LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND STATUS = ?",
                            attempt, truncate(error), ts(now), id, from.name());
                    event(id, "FAILED", error, now);
                } else {
                    Instant due = now.plus(backoff(attempt));
                    jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', ATTEMPTS = ?, DUE_AT = ?, LAST_ERROR = ?, "
                            + "CLAIMED_BY = NULL, LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND STATUS = ?",
                            attempt, ts(due), truncate(error), ts(now), id, from.name());
                    event(id, "RETRY_SCHEDULED", error, now);
                }
                return null;
            }
        });
    }

    /** first retry, then doubling: 5, 10, 20, 40 minutes... capped at 12 hours. */
    Duration backoff(int attempt) {
        Duration delay = firstRetry.multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(Duration.ofHours(12)) > 0 ? Duration.ofHours(12) : delay;
    }

    private void cleanUpExpiredLeases(Instant now) {
        jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', CLAIMED_BY = NULL, LEASE_UNTIL = NULL, UPDATED_AT = ? "
                + "WHERE STATUS = 'CLAIMED' AND LEASE_UNTIL < ?", ts(now), ts(now));
        jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'UNCONFIRMED', OUTCOME = 'LEASE_EXPIRED_WHILE_SENDING', "
                + "UPDATED_AT = ? WHERE STATUS = 'SENDING' AND LEASE_UNTIL < ?", ts(now), ts(now));
    }

    private void skip(long id, ExitReason reason, Instant now) {
        jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SKIPPED', OUTCOME = ?, LEASE_UNTIL = NULL, UPDATED_AT = ? "
                + "WHERE ID = ?", reason.name(), ts(now), id);
        event(id, "SKIPPED", reason.name(), now);
    }

    void suppress(String email, String reason, String source, Instant now) {
        String address = email.trim().toLowerCase(Locale.ROOT);
        Integer known = jdbc.queryForObject("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = ?", Integer.class, address);
        if (known == null || known == 0) {
            jdbc.update("INSERT INTO CR_SUPPRESSION (EMAIL, REASON, SOURCE, CREATED_AT) VALUES (?, ?, ?, ?)",
                    address, reason, truncate(source), ts(now));
        }
    }

    private void event(long id, String type, String detail, Instant at) {
        jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT, DETAIL) VALUES (?, ?, ?, ?)",
                id, type, ts(at), truncate(detail));
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }

    private static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }

    private static String defaultNodeId() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName() + ":" + java.util.UUID.randomUUID().toString().substring(0, 8);
        } catch (java.net.UnknownHostException e) {
            return "node:" + java.util.UUID.randomUUID().toString().substring(0, 8);
        }
    }


    private static final RowMapper<PlannedMessageRow> ROW = new RowMapper<PlannedMessageRow>() {
        @Override
        public PlannedMessageRow mapRow(ResultSet rs, int rowNum) throws SQLException {
            Timestamp abandoned = rs.getTimestamp("ABANDONED_AT");
            return new PlannedMessageRow(rs.getLong("ID"), rs.getLong("ORDER_ID"), rs.getLong("CAMPAIGN_ID"),
                    rs.getLong("STEP_ID"), rs.getString("EMAIL"), rs.getString("LOCALE_CODE"), rs.getInt("ATTEMPTS"),
                    abandoned == null ? Instant.EPOCH : abandoned.toInstant());
        }
    };
}
