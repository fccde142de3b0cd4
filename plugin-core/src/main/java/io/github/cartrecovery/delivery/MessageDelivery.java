package io.github.cartrecovery.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.persistence.PersistenceException;
import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.CampaignStepCache;
import io.github.cartrecovery.coupon.CouponIssuer;
import io.github.cartrecovery.coupon.IssuedCoupon;
import io.github.cartrecovery.database.SqlFailures;
import io.github.cartrecovery.rendering.EmailModel;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.personaldata.PersonalDataMask;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.rendering.RecoveryCartReader;
import io.github.cartrecovery.rendering.RenderedEmail;
import io.github.cartrecovery.rendering.SqlLists;
import io.github.cartrecovery.suppression.SuppressionReason;
import io.github.cartrecovery.suppression.Suppressions;

/**
 * Sends due planned messages over SMTP. Entry point {@link #deliverDue(int)}: safe on every node at once.
 * Work is set-based where it can be: preparing a chunk costs a fixed handful of statements, not a few per message;
 * only the hand-over to SMTP is a transaction per message (see "Exactly once").
 *
 * <h3>How one batch runs</h3>
 * <ol>
 * <li>Expired leases are cleaned up: CLAIMED and PREPARED rows whose node vanished go back to PLANNED (nothing
 * was sent for them); SENDING rows whose node vanished become UNCONFIRMED (see below).</li>
 * <li>Up to {@code max} due rows are claimed for this node, each row by its own conditional claim, with a
 * lease ({@link ClaimQuery}, per database).</li>
 * <li>One SMTP connection serves the whole batch: the previous batch's, when it was used less than 30 s
 * ago and still answers a NOOP, else a new one (the delivery job closes it when its run ends). If none
 * can be opened, nothing was sent: every claimed row goes back to PLANNED with exponential back-off.</li>
 * <li>The claimed rows are then handled in chunks of {@value #PREPARE_CHUNK} (the first one {@value #FIRST_CHUNK},
 * since nothing is being sent while it is prepared), overlapped: while one chunk is on the SMTP connection
 * (mostly waiting for the server's replies), the next one is prepared on a second thread.</li>
 * <li>Prepare, in one transaction per chunk: the rows still CLAIMED by this node are read (a row whose lease
 * went to another node drops out), the exit rules are checked against
 * Broadleaf's tables for all of them ({@link ExitRules}), carts, items and today's prices are read for all
 * of them ({@link RecoveryCartReader}), steps come from the {@link CampaignStepCache}, coupons are issued, each
 * email is rendered, built and encoded to its wire form (no database work: spread over the render threads),
 * and, last, every row to send is marked PREPARED with its stable Message-ID and every stopped one SKIPPED, both
 * only if still CLAIMED by this node. Commit. A
 * purchase committed before this point stops the message. A message that cannot be prepared (an unusable
 * address, a broken template) is FAILED with outcome PREPARE_ERROR in the same transaction and the chunk
 * goes on; if a statement fails, the chunk is prepared again one message at a time so one bad row cannot
 * hold up the others; a lost lock race (deadlock, lock timeout) only puts the rows back to PLANNED.</li>
 * <li>The chunk's PREPARED messages are handed to SMTP one after the other over the open connection, each
 * only after a transaction that records the previous accepted message SENT (with its event) and takes this
 * one from PREPARED to SENDING, if it is still this node's (an unsubscribe meanwhile, or a lease another node
 * took over, drops it). A 4xx reply puts that row back to PLANNED with back-off (FAILED after the last
 * attempt); a 5xx reply makes it FAILED and suppresses the address (a later message of the batch to that
 * address is then SKIPPED, not sent); any other error while sending makes it UNCONFIRMED. Each failure is
 * recorded as it happens.</li>
 * <li>The last accepted message of the chunk is recorded SENT on its own.</li>
 * </ol>
 *
 * <h3>Exactly once, and the remaining window</h3>
 * A message is only handed to SMTP after its row is committed as SENDING, one row at a time, and only SENT,
 * FAILED, PLANNED or UNCONFIRMED ever leave SENDING: PLANNED only after a definite 4xx rejection, or when this
 * node's own hand-over failed (so the message never reached SMTP) and only its answer was lost. CLAIMED and
 * PREPARED rows were never handed to SMTP, so they go back to PLANNED when their lease expires or the batch stops
 * on an error. So no row is sent twice by this code. When sending fails with an unexpected error (the node is
 * stopping, a bug), the message accepted before is still recorded SENT, the message at hand stays SENDING, and
 * every other message of the batch goes back to PLANNED. When the database fails instead (a commit that fails,
 * or whose answer is lost), the node still knows what happened: the message SMTP accepted was sent, the next one was
 * never handed over, the rest were not released. It keeps that in memory and writes it at the start of its next
 * batch, so a database restart loses nothing. The one window: a node that dies while a message is SENDING leaves
 * that row SENDING, whether or not the SMTP server accepted it: at most one message per node, the one on the wire
 * (or accepted and not yet recorded). Its lease then expires and it becomes
 * UNCONFIRMED: it is NOT retried, so that shopper may miss one message but never gets two. Leases are judged by
 * each node's clock, so a node whose clock runs ahead may mark another node's message UNCONFIRMED while it is still
 * being sent; the sending node then records what it learns (SENT, or the failure) over that guess ({@link #AT_HAND}),
 * and its PREPARED rows that the node ahead put back to PLANNED meanwhile drop out of its hand-over. This costs one small
 * transaction per message on the sending thread (a chunk's SENT records used to share one, and a crash left up
 * to two chunks UNCONFIRMED). The Message-ID is fixed per planned message at its first prepare
 * ({@code <cr.<id>.<random>@domain>}, kept for retries), so a receiving system that de-duplicates by Message-ID would also fold a repeat. A purchase committed after a
 * chunk's prepare commit and before its message's DATA reaches the server is the remaining exit-rule window: at
 * most the time to send two chunks (milliseconds to a nearby relay).
 */
public class MessageDelivery {

    private static final Log LOG = LogFactory.getLog(MessageDelivery.class);
    /** Default claim lease ({@code cartrecovery.delivery.lease-seconds}). */
    static final Duration DEFAULT_LEASE = Duration.ofMinutes(10);
    /** Messages prepared (and committed SENDING) together; the next chunk is prepared while one is sent. */
    static final int PREPARE_CHUNK = 10;
    /** The first chunk of a batch is prepared while nothing is being sent yet: kept small so sending starts soon. */
    static final int FIRST_CHUNK = 5;
    /** Tries of a transaction that lost a lock race (deadlock victim, lock wait timeout) before giving up on it. */
    private static final int LOCK_RACE_ATTEMPTS = 3;
    /** How long an SMTP connection is kept open between batches (well below common server idle timeouts). */
    private static final long IDLE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** The claimed rows of a batch that are still this node's, in due order (PK lookups). */
    static final String CLAIMED_ROWS = "SELECT m.ID, m.ORDER_ID, m.CAMPAIGN_ID, m.STEP_ID, m.EMAIL, m.LOCALE_CODE, "
            + "m.ATTEMPTS, m.MESSAGE_ID, c.ABANDONED_AT, k.UPDATED_AT AS CAMPAIGN_UPDATED_AT FROM CR_PLANNED_MESSAGE m "
            + "LEFT JOIN CR_CAPTURED_CART c ON c.ORDER_ID = m.ORDER_ID LEFT JOIN CR_CAMPAIGN k ON k.ID = m.CAMPAIGN_ID "
            + "WHERE m.ID IN (%s) AND m.STATUS = 'CLAIMED' AND m.CLAIMED_BY = ? ORDER BY m.DUE_AT, m.ID";

    /**
     * The message at hand is still this node's: SENDING, or made UNCONFIRMED meanwhile by another node that judged its
     * lease expired (by a clock running ahead of this node's). No node retries an UNCONFIRMED row, so what this node
     * then learns for certain (accepted, refused) replaces the guess. Parameter: this node's id.
     */
    static final String AT_HAND = "CLAIMED_BY = ? AND (STATUS = 'SENDING' OR (STATUS = 'UNCONFIRMED' "
            + "AND OUTCOME = 'LEASE_EXPIRED_WHILE_SENDING'))";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    /**
     * For the per-message hand-over on the sending thread: plain JDBC transactions on the same datasource (no JPA
     * work in them), without the cost of opening an EntityManager for each message.
     */
    private final TransactionTemplate handOvers;
    private final ClaimQuery claims;
    private final ExitRules exitRules;
    private final CampaignStepCache steps;
    private final RecoveryCartReader carts;
    private final EmailRenderer renderer;
    private final RecoveryLinks links;
    private final SmtpMailer mailer;
    private final Clock clock;
    private final String nodeId;
    private final RecoveryMessageBuilder messages;
    private volatile Duration firstRetry;
    private final int maxAttempts;
    private volatile Duration lease = DEFAULT_LEASE;
    private final AtomicReference<IdleConnection> idle = new AtomicReference<IdleConnection>();
    /**
     * What this node knows for certain but could not write when it happened (the database went away, or lock races
     * ran out), written at the start of the next batch: messages SMTP accepted (when), messages whose hand-over
     * failed (so never handed to SMTP, even if the SENDING mark did commit and only its answer was lost), and claimed
     * or prepared messages it could not release. Lost only with the node itself, and then the leases decide.
     */
    private final Map<Long, Instant> unrecordedSent = new ConcurrentHashMap<Long, Instant>();
    private final Set<Long> notHandedOver = Collections.newSetFromMap(new ConcurrentHashMap<Long, Boolean>());
    private final Set<Long> unreleased = Collections.newSetFromMap(new ConcurrentHashMap<Long, Boolean>());
    /** Prepares the next chunk while the current one is being sent; its thread ends when idle. */
    private final ThreadPoolExecutor preparer = daemonThreads("cr-delivery-prepare", 1);
    /** Renders a chunk's messages alongside the preparing thread ({@link #setRenderThreads(String)}). */
    private volatile int renderThreads = Math.min(4, Runtime.getRuntime().availableProcessors());
    private final ThreadPoolExecutor renderers = daemonThreads("cr-delivery-render", 3);

    public MessageDelivery(DataSource dataSource, PlatformTransactionManager transactionManager, ClaimQuery claims,
                           ExitRules exitRules, CampaignRepository campaigns, RecoveryCartReader carts,
                           EmailRenderer renderer, RecoveryLinks links, RecoveryMessageBuilder messages,
                           SmtpMailer mailer, Clock clock, String nodeId, int firstRetryMinutes, int maxAttempts) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.handOvers = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.claims = claims;
        this.exitRules = exitRules;
        this.steps = new CampaignStepCache(campaigns);
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

    /**
     * How many threads render one chunk (cartrecovery.delivery.render-threads; default: the processors, at most
     * 4). Rendering, building and encoding need no database, so a chunk's messages are spread over them.
     */
    public void setRenderThreads(String setting) {
        if (setting == null || setting.trim().isEmpty()) {
            return;
        }
        int threads;
        try {
            threads = Integer.parseInt(setting.trim());
        } catch (NumberFormatException e) {
            threads = 0;
        }
        if (threads < 1 || threads > 4) {
            throw new IllegalArgumentException("cartrecovery.delivery.render-threads must be empty or a number from 1 to 4, was '"
                    + setting + "'");
        }
        this.renderThreads = threads;
    }

    /**
     * How long a claim holds its rows ({@code cartrecovery.delivery.lease-seconds}): after it, CLAIMED rows of a
     * vanished node go back to PLANNED and its SENDING rows become UNCONFIRMED. Must exceed the longest batch.
     */
    public void setLeaseSeconds(int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("cartrecovery.delivery.lease-seconds must be at least 1, not " + seconds);
        }
        this.lease = Duration.ofSeconds(seconds);
    }

    /**
     * The first retry delay in seconds ({@code cartrecovery.delivery.first-retry-seconds}); when set (not empty,
     * above 0) it replaces {@code first-retry-minutes}, for relays that recover in seconds and for tests.
     */
    public void setFirstRetrySeconds(String seconds) {
        if (seconds == null || seconds.trim().isEmpty()) {
            return;
        }
        int value;
        try {
            value = Integer.parseInt(seconds.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cartrecovery.delivery.first-retry-seconds must be a number of seconds, not '"
                    + seconds + "'");
        }
        if (value > 0) {
            this.firstRetry = Duration.ofSeconds(value);
        }
    }

    /** Coupons (issue 5): optional, so delivery works without them; set by the core patch file. */
    private volatile CouponIssuer coupons;

    public void setCoupons(CouponIssuer coupons) {
        this.coupons = coupons;
    }

    /** Delivers up to {@code maxMessages} due messages; returns how many were sent. */
    public int deliverDue(int maxMessages) {
        return deliverBatch(maxMessages).sent;
    }

    /**
     * One batch: claims up to {@code maxMessages} due messages and delivers them (exit rules may skip some).
     * {@link Batch#goOn} tells a delivery run whether to claim the next batch: yes when this one claimed
     * messages and the SMTP server answered, even if every message was skipped, so a backlog of bought carts does
     * not hold a run to one batch per interval.
     */
    public Batch deliverBatch(final int maxMessages) {
        final Instant now = clock.instant();
        writeKnownOutcomes();
        try {
            transactions.execute(new TransactionCallback<Void>() {
                @Override
                public Void doInTransaction(TransactionStatus status) {
                    cleanUpExpiredLeases(now);
                    return null;
                }
            });
        } catch (RuntimeException e) {
            if (!SqlFailures.isLockRace(e)) {
                throw e;
            }
            LOG.debug("Cart Recovery: lease clean-up lost a lock race; the next run repeats it", PersonalDataMask.failure(e));
        }
        List<Long> claimed;
        try {
            claimed = transactions.execute(new TransactionCallback<List<Long>>() {
                @Override
                public List<Long> doInTransaction(TransactionStatus status) {
                    return claims.claim(jdbc, nodeId, now, now.plus(lease), maxMessages);
                }
            });
        } catch (RuntimeException e) {
            if (!SqlFailures.isLockRace(e)) {
                throw e;
            }
            LOG.info("Cart Recovery: claim lost a lock race (" + PersonalDataMask.text(e.getMessage()) + "); the next run claims again");
            return Batch.NONE;
        }
        if (claimed == null || claimed.isEmpty()) {
            return Batch.NONE;
        }
        SmtpMailer.Connection smtp;
        try {
            smtp = connection();
        } catch (MessagingException e) {
            LOG.warn("Cart Recovery: SMTP server unreachable, " + claimed.size() + " messages rescheduled: " + PersonalDataMask.failure(e));
            for (Long id : claimed) {
                retryLater(id, MessageStatus.CLAIMED, "SMTP unreachable: " + e.getMessage());
            }
            return new Batch(claimed.size(), 0, false);
        }
        boolean reusable = false;
        try {
            int sent = prepareAndSend(claimed, smtp);
            reusable = true;
            return new Batch(claimed.size(), sent, true);
        } finally {
            if (reusable) {
                keepForNextBatch(smtp);
            } else {
                smtp.close();
            }
        }
    }

    /**
     * Steps 4 to 6 in chunks, overlapped: while one chunk is on the SMTP connection (mostly waiting for the
     * server), the next chunk is prepared on the preparing thread. Each chunk is its own prepare transaction,
     * so everything said about "the batch" in the class comment holds per chunk.
     */
    private int prepareAndSend(List<Long> claimed, SmtpMailer.Connection smtp) {
        List<List<Long>> chunks = new ArrayList<List<Long>>();
        for (int from = 0; from < claimed.size(); ) {
            int size = chunks.isEmpty() ? FIRST_CHUNK : PREPARE_CHUNK;
            chunks.add(claimed.subList(from, Math.min(claimed.size(), from + size)));
            from += size;
        }
        Set<String> bounced = new HashSet<String>();
        int sent = 0;
        Future<List<Outgoing>> next = prepareLater(chunks.get(0));
        int unprepared = 1; // chunks from here on were claimed and never prepared
        boolean done = false;
        try {
            for (int i = 0; i < chunks.size(); i++) {
                List<Outgoing> ready = await(next);
                next = i + 1 < chunks.size() ? prepareLater(chunks.get(i + 1)) : null;
                unprepared = i + 2;
                sent += send(ready, smtp, bounced);
            }
            done = true;
        } finally {
            if (!done) {
                // something failed: the chunk prepared meanwhile was never handed to SMTP, nor were later chunks
                List<Long> neverHanded = new ArrayList<Long>();
                try {
                    if (next != null) {
                        neverHanded.addAll(idsOf(await(next)));
                    }
                } catch (RuntimeException preparing) {
                    LOG.debug("Cart Recovery: the chunk prepared meanwhile failed too; its own handling applies", PersonalDataMask.failure(preparing));
                }
                for (int i = unprepared; i < chunks.size(); i++) {
                    neverHanded.addAll(chunks.get(i));
                }
                try {
                    releaseClaims(neverHanded);
                } catch (RuntimeException releasing) {
                    LOG.info("Cart Recovery: could not release " + neverHanded.size() + " planned messages yet; the next "
                            + "batch tries again (" + PersonalDataMask.failure(releasing) + ")");
                }
            }
        }
        return sent;
    }

    private Future<List<Outgoing>> prepareLater(final List<Long> ids) {
        return preparer.submit(new Callable<List<Outgoing>>() {
            @Override
            public List<Outgoing> call() {
                return prepare(new ArrayList<Long>(ids));
            }
        });
    }

    private static <T> T await(Future<T> prepared) {
        try {
            return prepared.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing recovery emails", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static List<Long> idsOf(List<Outgoing> messages) {
        List<Long> ids = new ArrayList<Long>();
        for (Outgoing message : messages) {
            ids.add(message.id);
        }
        return ids;
    }

    private static ThreadPoolExecutor daemonThreads(final String name, int threads) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<Runnable>(), new ThreadFactory() {
                    @Override
                    public Thread newThread(Runnable work) {
                        Thread thread = new Thread(work, name);
                        thread.setDaemon(true);
                        return thread;
                    }
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** The connection kept from the previous batch if it is recent and still answers, else a new one. */
    private SmtpMailer.Connection connection() throws MessagingException {
        IdleConnection kept = idle.getAndSet(null);
        if (kept != null) {
            if (System.nanoTime() - kept.sinceNanos < IDLE_LIMIT_NANOS && kept.connection.isOpen()) {
                return kept.connection;
            }
            kept.connection.close();
        }
        return mailer.open();
    }

    private void keepForNextBatch(SmtpMailer.Connection connection) {
        IdleConnection previous = idle.getAndSet(new IdleConnection(connection, System.nanoTime()));
        if (previous != null) {
            previous.connection.close();
        }
    }

    /** Closes the SMTP connection kept between batches (the delivery job calls this when a run ends). */
    public void closeIdleConnection() {
        IdleConnection kept = idle.getAndSet(null);
        if (kept != null) {
            kept.connection.close();
        }
    }

    /** Step 5 for a chunk: the messages to hand to SMTP, committed as PREPARED. */
    private List<Outgoing> prepare(final List<Long> ids) {
        return prepare(ids, 1);
    }

    private List<Outgoing> prepare(final List<Long> ids, int attempt) {
        try {
            return transactions.execute(new TransactionCallback<List<Outgoing>>() {
                @Override
                public List<Outgoing> doInTransaction(TransactionStatus status) {
                    return prepareInTransaction(ids, clock.instant());
                }
            });
        } catch (RuntimeException e) {
            if (SqlFailures.isLockRace(e)) {
                // Nothing was sent and nothing is wrong with the messages (a deadlock, a lock timeout): the rows are
                // still this node's claim, so prepare them again; after the last try let them go for the next run.
                if (attempt < LOCK_RACE_ATTEMPTS) {
                    LOG.debug("Cart Recovery: preparing " + ids.size() + " messages lost a lock race; trying again", PersonalDataMask.failure(e));
                    return prepare(ids, attempt + 1);
                }
                LOG.info("Cart Recovery: preparing " + ids.size() + " messages lost " + attempt
                        + " lock races; they go back to PLANNED (" + PersonalDataMask.text(e.getMessage()) + ")");
                releaseClaims(ids);
                return Collections.emptyList();
            }
            if (SqlFailures.isUnavailable(e)) {
                // Nothing was sent and nothing is wrong with the messages: the database is gone for now. Release them if
                // it answers again already, else their leases expire; never FAILED for the database's sake.
                LOG.warn("Cart Recovery: database unavailable while preparing " + ids.size() + " messages; they stay due: " + PersonalDataMask.failure(e));
                try {
                    releaseClaims(ids);
                } catch (RuntimeException stillDown) {
                    LOG.debug("Cart Recovery: could not release " + ids + " yet; their leases expire instead", PersonalDataMask.failure(stillDown));
                }
                return Collections.emptyList();
            }
            if (ids.size() == 1) {
                // Nothing was sent; one bad message must not block the batch.
                failBeforeSending(ids.get(0), e);
                return Collections.emptyList();
            }
            LOG.info("Cart Recovery: preparing " + ids.size() + " messages together failed (" + PersonalDataMask.failure(e)
                    + "); preparing them one by one");
            List<Outgoing> outgoing = new ArrayList<Outgoing>();
            for (Long id : ids) {
                outgoing.addAll(prepare(Collections.singletonList(id), 1));
            }
            return outgoing;
        }
    }

    /** Inside the chunk's transaction: read this node's rows, check exit rules, render, mark PREPARED or SKIPPED. */
    private List<Outgoing> prepareInTransaction(List<Long> ids, Instant now) {
        List<PlannedMessageRow> rows = jdbc.query(String.format(CLAIMED_ROWS, SqlLists.placeholders(ids.size())), ROW,
                SqlLists.args(ids, nodeId)); // rows whose lease went to another node are not among them
        Map<Long, ExitReason> exits = exitRules.check(jdbc, rows, now);
        List<Long> orderIds = new ArrayList<Long>();
        for (PlannedMessageRow row : rows) {
            if (!exits.containsKey(row.getId())) {
                orderIds.add(row.getOrderId());
            }
        }
        Map<Long, RecoveryCart> cartsByOrder = carts.read(jdbc, orderIds);
        List<Object[]> skipped = new ArrayList<Object[]>();
        List<Object[]> skipEvents = new ArrayList<Object[]>();
        List<Draft> drafts = new ArrayList<Draft>();
        for (PlannedMessageRow row : rows) {
            ExitReason exit = exits.get(row.getId());
            RecoveryCart cart = cartsByOrder.get(row.getOrderId());
            if (exit == null && (cart == null || cart.getLines().isEmpty())) {
                exit = ExitReason.NO_ITEMS_AVAILABLE;
            }
            if (exit != null) {
                skipped.add(new Object[] {exit.name(), ts(now), row.getId(), nodeId});
                skipEvents.add(eventArgs(row.getId(), "SKIPPED", exit.name(), now));
                continue;
            }
            try {
                drafts.add(draft(row, cart)); // issues the coupon, in this transaction
            } catch (RuntimeException e) {
                if (e instanceof DataAccessException || e instanceof PersistenceException) {
                    throw e; // the transaction may be spoilt: the batch is prepared again one by one
                }
                notPrepared(row.getId(), e, now);
            }
        }
        List<Object> built = buildAll(drafts);
        List<Outgoing> outgoing = new ArrayList<Outgoing>();
        List<Object[]> prepared = new ArrayList<Object[]>();
        for (int i = 0; i < drafts.size(); i++) {
            PlannedMessageRow row = drafts.get(i).row;
            if (built.get(i) instanceof RuntimeException) {
                notPrepared(row.getId(), (RuntimeException) built.get(i), now);
                continue;
            }
            prepared.add(new Object[] {drafts.get(i).messageId, ts(now.plus(lease)), ts(now), row.getId(), nodeId});
            outgoing.add(new Outgoing(row.getId(), row.getEmail(), (MimeMessage) built.get(i)));
        }
        // The chunk's only writes to CR_PLANNED_MESSAGE come last, each still conditional on the row being this
        // node's claim: so no lock on it is held while the chunk renders (HSQLDB's default LOCKS mode locks the whole
        // table for a writing transaction, which would stall the hand-over of the chunk being sent meanwhile).
        if (!skipped.isEmpty()) {
            int[] counts = jdbc.batchUpdate("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SKIPPED', OUTCOME = ?, LEASE_UNTIL = NULL, "
                    + "UPDATED_AT = ? WHERE ID = ? AND STATUS = 'CLAIMED' AND CLAIMED_BY = ?", skipped);
            List<Object[]> events = new ArrayList<Object[]>();
            for (int i = 0; i < skipEvents.size(); i++) {
                if (i >= counts.length || counts[i] != 0) { // 0: no longer this node's; unknown counts record the event
                    events.add(skipEvents.get(i));
                }
            }
            jdbc.batchUpdate(EVENT, events);
        }
        if (!prepared.isEmpty()) {
            // a row that is not this node's any more stays as it is, and its hand-over then finds it not PREPARED
            jdbc.batchUpdate("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PREPARED', MESSAGE_ID = ?, LEASE_UNTIL = ?, "
                    + "UPDATED_AT = ? WHERE ID = ? AND STATUS = 'CLAIMED' AND CLAIMED_BY = ?", prepared);
        }
        return outgoing;
    }

    /** A message that cannot be prepared (an unusable address, a broken template) is FAILED; the chunk goes on. */
    private void notPrepared(long id, RuntimeException e, Instant now) {
        LOG.warn("Cart Recovery: planned message " + id + " could not be prepared and is marked FAILED: " + PersonalDataMask.failure(e));
        int failed = jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'FAILED', OUTCOME = 'PREPARE_ERROR', LAST_ERROR = ?, "
                + "LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND STATUS = 'CLAIMED' AND CLAIMED_BY = ?",
                truncate(e.toString()), ts(now), id, nodeId);
        if (failed == 1) {
            event(id, "FAILED", e.toString(), now);
        }
    }

    /** The step and template model of one message (its coupon issued in the chunk's transaction). */
    private Draft draft(PlannedMessageRow row, RecoveryCart cart) {
        CampaignStep step = steps.step(row.getStepId(), row.getCampaignUpdatedAt());
        if (step == null) {
            throw new IllegalStateException("campaign step " + row.getStepId() + " does not exist any more");
        }
        // a retry keeps the Message-ID of the message's first prepare, so a receiver folds a repeat
        String messageId = row.getMessageId() != null ? row.getMessageId() : messages.newMessageId(row.getId());
        return new Draft(row, messageId, step.getTemplate(), modelFor(row, cart, step));
    }

    /**
     * Renders, builds and encodes the chunk's messages: pure CPU work without the database, so it is spread
     * over the rendering threads (this thread takes the first share). Returns, per draft and in order, its
     * MimeMessage or the RuntimeException that stopped it.
     */
    private List<Object> buildAll(final List<Draft> drafts) {
        final Object[] built = new Object[drafts.size()];
        int shares = Math.min(renderThreads, drafts.size());
        List<Future<?>> others = new ArrayList<Future<?>>();
        for (int share = 1; share < shares; share++) {
            final int first = share;
            final int step = shares;
            others.add(renderers.submit(new Runnable() {
                @Override
                public void run() {
                    buildEvery(drafts, built, first, step);
                }
            }));
        }
        buildEvery(drafts, built, 0, Math.max(1, shares));
        for (Future<?> other : others) {
            await(other);
        }
        return Arrays.asList(built);
    }

    private void buildEvery(List<Draft> drafts, Object[] built, int first, int step) {
        for (int i = first; i < drafts.size(); i += step) {
            Draft draft = drafts.get(i);
            try {
                RenderedEmail rendered = renderer.render(draft.template, draft.model);
                Session session = mailer.session();
                built[i] = EncodedMessage.of(session, messages.build(session, draft.messageId, draft.row.getId(),
                        draft.row.getEmail(), rendered));
            } catch (RuntimeException e) {
                built[i] = e;
            }
        }
    }

    /** The one place where the template model of one message is built. */
    private EmailModel modelFor(PlannedMessageRow row, RecoveryCart cart, CampaignStep step) {
        IssuedCoupon coupon = coupons == null ? null
                : coupons.issueFor(row.getId(), row.getOrderId(), row.getEmail(), step, cart);
        return new EmailModel(step.subjectFor(cart.getLocaleCode()), cart,
                new MessageLinks(links, row.getId(), row.getOrderId()), coupon);
    }

    /**
     * Steps 6 and 7 for one chunk, one message at a time: each transaction records the message SMTP accepted last as
     * SENT and takes the next one from PREPARED to SENDING; only then is that one handed to SMTP. So this node has
     * at most one row SENDING at any moment: the one on the wire.
     */
    private int send(List<Outgoing> outgoing, SmtpMailer.Connection smtp, Set<String> bounced) {
        int sent = 0;
        Accepted accepted = null; // accepted by SMTP, not recorded SENT yet
        int reached = 0; // messages of the chunk taken up so far: the ones after them are still PREPARED
        try {
            for (Outgoing message : outgoing) {
                reached++;
                if (bounced.contains(message.email)) {
                    notSentToBouncedAddress(message.id);
                    continue;
                }
                boolean mine = record(accepted, message.id);
                accepted = null;
                if (!mine) {
                    continue; // its lease expired and another node took it, or the shopper unsubscribed meanwhile
                }
                try {
                    smtp.send(message.message);
                } catch (MessagingException e) {
                    if (recordFailure(message.id, message.email, e) == SmtpFailure.PERMANENT) {
                        bounced.add(message.email);
                    }
                    continue;
                }
                accepted = new Accepted(message.id, clock.instant());
                sent++;
            }
        } catch (RuntimeException failure) {
            // The node fails mid-chunk. A message handed to SMTP may or may not have reached the server: it stays
            // SENDING (UNCONFIRMED once its lease expires). The one accepted before it is recorded SENT; the message
            // at hand, if it never became SENDING, and the ones after it go back to PLANNED (only PREPARED rows do).
            try {
                record(accepted, null);
            } catch (RuntimeException alsoFailed) {
                failure.addSuppressed(alsoFailed); // remembered, written at the next batch
            }
            try {
                releaseClaims(idsOf(outgoing.subList(Math.max(0, reached - 1), outgoing.size())));
            } catch (RuntimeException alsoFailed) {
                failure.addSuppressed(alsoFailed); // remembered, written at the next batch
            }
            throw failure;
        }
        record(accepted, null);
        return sent;
    }

    /**
     * One transaction (retried after a lost lock race): records {@code accepted} SENT with its event, if not null,
     * and takes {@code next} from PREPARED to SENDING, if not null and still this node's. Returns whether
     * {@code next} may be handed to SMTP.
     */
    private boolean record(final Accepted accepted, final Long next) {
        if (accepted == null && next == null) {
            return false;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return handOvers.execute(new TransactionCallback<Boolean>() {
                    @Override
                    public Boolean doInTransaction(TransactionStatus status) {
                        if (accepted != null) {
                            int recorded = jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SENT', OUTCOME = NULL, SENT_AT = ?, "
                                    + "ATTEMPTS = ATTEMPTS + 1, LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND " + AT_HAND,
                                    ts(accepted.at), ts(accepted.at), accepted.id, nodeId);
                            if (recorded == 1) {
                                event(accepted.id, "SENT", null, accepted.at);
                            }
                        }
                        if (next == null) {
                            return false;
                        }
                        Instant now = clock.instant();
                        return jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SENDING', LEASE_UNTIL = ?, UPDATED_AT = ? "
                                + "WHERE ID = ? AND STATUS = 'PREPARED' AND CLAIMED_BY = ?", ts(now.plus(lease)), ts(now), next,
                                nodeId) == 1;
                    }
                });
            } catch (RuntimeException e) {
                if (!SqlFailures.isLockRace(e) || attempt == LOCK_RACE_ATTEMPTS) {
                    // Whether or not the transaction committed (a lost connection may hide a commit), what happened is
                    // known here: the accepted message was sent, the next one was not handed to SMTP. Written later.
                    if (accepted != null) {
                        unrecordedSent.put(accepted.id, accepted.at);
                    }
                    if (next != null) {
                        notHandedOver.add(next);
                    }
                    LOG.warn("Cart Recovery: could not record planned message " + (accepted == null ? "-" : String.valueOf(accepted.id))
                            + " SENT nor take " + (next == null ? "-" : String.valueOf(next)) + " to SENDING; written at the "
                            + "next batch (" + PersonalDataMask.failure(e) + ")");
                    if (!SqlFailures.isLockRace(e)) {
                        throw e;
                    }
                    return false;
                }
            }
        }
    }

    /**
     * Writes what this node learnt and could not write before ({@link #unrecordedSent}...), each message in its own
     * transaction and only while the row is still this node's. A failure leaves the rest for the next batch.
     */
    private void writeKnownOutcomes() {
        try {
            for (Map.Entry<Long, Instant> sent : new ArrayList<Map.Entry<Long, Instant>>(unrecordedSent.entrySet())) {
                unrecordedSent.remove(sent.getKey(), sent.getValue());
                record(new Accepted(sent.getKey(), sent.getValue()), null); // remembers it again if it cannot write it
            }
            for (final Long id : new ArrayList<Long>(notHandedOver)) {
                handOvers.execute(new TransactionCallback<Void>() {
                    @Override
                    public Void doInTransaction(TransactionStatus status) {
                        jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', OUTCOME = NULL, CLAIMED_BY = NULL, "
                                + "LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND ((STATUS = 'PREPARED' AND CLAIMED_BY = ?) "
                                + "OR (" + AT_HAND + "))", ts(clock.instant()), id, nodeId, nodeId);
                        return null;
                    }
                });
                notHandedOver.remove(id);
            }
            if (!unreleased.isEmpty()) {
                releaseClaims(new ArrayList<Long>(unreleased));
            }
        } catch (RuntimeException e) {
            if (!SqlFailures.isLockRace(e) && !SqlFailures.isUnavailable(e)) {
                throw e;
            }
            LOG.info("Cart Recovery: outcomes of " + (unrecordedSent.size() + notHandedOver.size() + unreleased.size())
                    + " planned messages still to be written; the next batch tries again (" + PersonalDataMask.failure(e) + ")");
        }
    }

    /** Claimed or prepared, definitely never handed to SMTP: back to PLANNED, due as before. */
    private void releaseClaims(final List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        releaseClaims(ids, 1);
    }

    private void releaseClaims(final List<Long> ids, int attempt) {
        unreleased.addAll(ids); // until the release commits
        try {
            transactions.execute(new TransactionCallback<Void>() {
                @Override
                public Void doInTransaction(TransactionStatus status) {
                    jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', CLAIMED_BY = NULL, LEASE_UNTIL = NULL, "
                            + "UPDATED_AT = ? WHERE ID IN (" + SqlLists.placeholders(ids.size()) + ") "
                            + "AND STATUS IN ('CLAIMED', 'PREPARED') AND CLAIMED_BY = ?", SqlLists.args(Collections.singletonList(ts(clock.instant())),
                            SqlLists.args(ids, nodeId)));
                    return null;
                }
            });
            unreleased.removeAll(ids);
        } catch (RuntimeException e) {
            if (!SqlFailures.isLockRace(e)) {
                throw e;
            }
            if (attempt < LOCK_RACE_ATTEMPTS) {
                releaseClaims(ids, attempt + 1);
                return;
            }
            LOG.info("Cart Recovery: could not release planned messages " + ids + " yet; the next batch tries again", PersonalDataMask.failure(e));
        }
    }

    private void failBeforeSending(final long id, final RuntimeException failure) {
        LOG.warn("Cart Recovery: planned message " + id + " could not be prepared and is marked FAILED: " + PersonalDataMask.failure(failure));
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

    /** A message of the batch whose address bounced permanently earlier in the same batch: never handed to SMTP. */
    private void notSentToBouncedAddress(final long id) {
        transactions.execute(new TransactionCallback<Void>() {
            @Override
            public Void doInTransaction(TransactionStatus status) {
                Instant now = clock.instant();
                int skipped = jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SKIPPED', OUTCOME = ?, LEASE_UNTIL = NULL, "
                        + "UPDATED_AT = ? WHERE ID = ? AND STATUS = 'PREPARED' AND CLAIMED_BY = ?", ExitReason.SUPPRESSED.name(),
                        ts(now), id, nodeId);
                if (skipped == 1) {
                    event(id, "SKIPPED", ExitReason.SUPPRESSED.name(), now);
                }
                return null;
            }
        });
    }

    private SmtpFailure recordFailure(final long id, final String email, final MessagingException failure) {
        final SmtpFailure kind = SmtpFailure.of(failure);
        LOG.warn("Cart Recovery: planned message " + id + " not delivered (" + kind + "): " + PersonalDataMask.failure(failure));
        if (kind == SmtpFailure.TEMPORARY) {
            retryLater(id, MessageStatus.SENDING, failure.getMessage());
            return kind;
        }
        transactions.execute(new TransactionCallback<Void>() {
            @Override
            public Void doInTransaction(TransactionStatus status) {
                Instant now = clock.instant();
                MessageStatus next = kind == SmtpFailure.PERMANENT ? MessageStatus.FAILED : MessageStatus.UNCONFIRMED;
                int recorded = jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = ?, OUTCOME = ?, LAST_ERROR = ?, "
                        + "ATTEMPTS = ATTEMPTS + 1, LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND " + AT_HAND,
                        next.name(), kind.name(), truncate(failure.toString()), ts(now), id, nodeId);
                if (recorded == 1) {
                    event(id, next.name(), failure.toString(), now);
                }
                if (kind == SmtpFailure.PERMANENT) {
                    suppress(email, "BOUNCED", "smtp: " + failure.getMessage(), now);
                }
                return null;
            }
        });
        return kind;
    }

    /**
     * Definitely not sent: back to PLANNED with exponential back-off, or FAILED after the last attempt. {@code from}:
     * CLAIMED (never prepared) or SENDING (the message at hand, {@link #AT_HAND}).
     */
    private void retryLater(final long id, final MessageStatus from, final String error) {
        final String held = from == MessageStatus.SENDING ? AT_HAND : "STATUS = 'CLAIMED' AND CLAIMED_BY = ?";
        transactions.execute(new TransactionCallback<Void>() {
            @Override
            public Void doInTransaction(TransactionStatus status) {
                Instant now = clock.instant();
                Integer attempts = jdbc.queryForObject("SELECT ATTEMPTS FROM CR_PLANNED_MESSAGE WHERE ID = ?",
                        Integer.class, id);
                int attempt = (attempts == null ? 0 : attempts) + 1;
                if (attempt >= maxAttempts) {
                    int failed = jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'FAILED', OUTCOME = 'TOO_MANY_ATTEMPTS', "
                            + "ATTEMPTS = ?, LAST_ERROR = ?, LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND " + held,
                            attempt, truncate(error), ts(now), id, nodeId);
                    if (failed == 1) {
                        event(id, "FAILED", error, now);
                    }
                } else {
                    Instant due = now.plus(backoff(attempt));
                    int planned = jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', OUTCOME = NULL, ATTEMPTS = ?, "
                            + "DUE_AT = ?, LAST_ERROR = ?, CLAIMED_BY = NULL, LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND "
                            + held, attempt, ts(due), truncate(error), ts(now), id, nodeId);
                    if (planned == 1) {
                        event(id, "RETRY_SCHEDULED", error, now);
                    }
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

    /**
     * Finds expired leases with a plain read (no locks: usually there are none) and changes only those rows,
     * by primary key and only if still expired. A ranged UPDATE over IX_CR_PLANNED_STATUS_LEASE instead took
     * next-key locks on the CLAIMED entries other nodes were changing at that moment: on MariaDB two nodes
     * deadlocked on it several times per thousand messages.
     */
    private void cleanUpExpiredLeases(Instant now) {
        List<Long> claimed = jdbc.queryForList("SELECT ID FROM CR_PLANNED_MESSAGE WHERE STATUS IN ('CLAIMED', 'PREPARED') "
                + "AND LEASE_UNTIL < ?", Long.class, ts(now));
        if (!claimed.isEmpty()) {
            jdbc.batchUpdate("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', CLAIMED_BY = NULL, LEASE_UNTIL = NULL, "
                    + "UPDATED_AT = ? WHERE ID = ? AND STATUS IN ('CLAIMED', 'PREPARED') AND LEASE_UNTIL < ?", byId(claimed, now));
        }
        List<Long> sending = jdbc.queryForList("SELECT ID FROM CR_PLANNED_MESSAGE WHERE STATUS = 'SENDING' AND LEASE_UNTIL < ?",
                Long.class, ts(now));
        if (!sending.isEmpty()) {
            jdbc.batchUpdate("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'UNCONFIRMED', OUTCOME = 'LEASE_EXPIRED_WHILE_SENDING', "
                    + "UPDATED_AT = ? WHERE ID = ? AND STATUS = 'SENDING' AND LEASE_UNTIL < ?", byId(sending, now));
        }
    }

    private static List<Object[]> byId(List<Long> ids, Instant now) {
        List<Object[]> rows = new ArrayList<Object[]>();
        for (Long id : ids) {
            rows.add(new Object[] {ts(now), id, ts(now)});
        }
        return rows;
    }

    void suppress(String email, String reason, String source, Instant now) {
        new Suppressions(jdbc).suppress(email, SuppressionReason.valueOf(reason), source, now);
    }

    private static final String EVENT = "INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT, DETAIL) "
            + "VALUES (?, ?, ?, ?)";

    private void event(long id, String type, String detail, Instant at) {
        jdbc.update(EVENT, eventArgs(id, type, detail, at));
    }

    private static Object[] eventArgs(long id, String type, String detail, Instant at) {
        return new Object[] {id, type, ts(at), truncate(detail)};
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
                    abandoned == null ? Instant.EPOCH : abandoned.toInstant(), rs.getTimestamp("CAMPAIGN_UPDATED_AT"),
                    rs.getString("MESSAGE_ID"));
        }
    };

    /** A prepared message, committed as PREPARED, waiting for its turn on the SMTP connection. */
    private static final class Outgoing {
        final long id;
        final String email;
        final MimeMessage message;

        Outgoing(long id, String email, MimeMessage message) {
            this.id = id;
            this.email = email;
            this.message = message;
        }
    }

    /** A message the SMTP server accepted, and when: recorded SENT with the next message's hand-over. */
    private static final class Accepted {
        final long id;
        final Instant at;

        Accepted(long id, Instant at) {
            this.id = id;
            this.at = at;
        }
    }

    /** A message that passed the exit rules, with its step's template and its model, to be rendered. */
    private static final class Draft {
        final PlannedMessageRow row;
        final String messageId;
        final String template;
        final EmailModel model;

        Draft(PlannedMessageRow row, String messageId, String template, EmailModel model) {
            this.row = row;
            this.messageId = messageId;
            this.template = template;
            this.model = model;
        }
    }

    /** What one batch did: messages claimed, of them sent, and whether the run should claim the next batch. */
    public static final class Batch {
        static final Batch NONE = new Batch(0, 0, false);

        public final int claimed;
        public final int sent;
        public final boolean goOn;

        Batch(int claimed, int sent, boolean goOn) {
            this.claimed = claimed;
            this.sent = sent;
            this.goOn = goOn;
        }
    }

    /** An open SMTP connection waiting for the next batch. */
    private static final class IdleConnection {
        final SmtpMailer.Connection connection;
        final long sinceNanos;

        IdleConnection(SmtpMailer.Connection connection, long sinceNanos) {
            this.connection = connection;
            this.sinceNanos = sinceNanos;
        }
    }
}
