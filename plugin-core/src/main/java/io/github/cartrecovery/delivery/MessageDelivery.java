package io.github.cartrecovery.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.BeansException;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.database.SqlFailures;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStepCache;
import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.ChannelUnavailableException;
import io.github.cartrecovery.coupon.CouponIssuer;
import io.github.cartrecovery.messages.PlannedMessages;
import io.github.cartrecovery.messages.PlannedMessages.Held;
import io.github.cartrecovery.personaldata.PersonalDataMask;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.RecoveryCartReader;
import io.github.cartrecovery.metrics.PluginMetrics;

/**
 * Sends due planned messages over their channels (email, SMS, webhooks, a store's own). Entry point
 * {@link #deliverBatch(int)}: safe on every node at once. The guarantee, in short (docs/architecture.md tells the
 * whole story):
 * <ul>
 * <li><b>Never twice.</b> A message is handed to its channel only after its row is committed SENDING by this node;
 * only a definite "not delivered" (a 4xx, a 429, this node's own failed hand-over) ever sends a SENDING row back to
 * PLANNED. A node that dies while messages are SENDING leaves at most {@code senders} times {@code hand-over-window}
 * rows per channel (default 1 x 1) that may or may not have arrived: they become UNCONFIRMED and are never retried.</li>
 * <li><b>Never after purchase or opt-out.</b> Exit rules and the channel's consent are checked in the transaction
 * that marks the message PREPARED, and each hand-over re-checks that the row is still this node's (an unsubscribe
 * meanwhile drops it). The remaining window is the time to send two chunks.</li>
 * <li><b>Nothing lost.</b> What the node learns while the database is away is remembered and written at its next
 * batch ({@link KnownOutcomes}); claims of a vanished node go back to PLANNED when their lease expires.</li>
 * </ul>
 * One batch: expired leases are cleaned up, then each channel in turn (the first one rotating between batches) claims
 * due rows ({@link ClaimQuery}) and deals them out to its senders; each sender opens its own connection to the channel
 * and has its rows prepared in chunks ({@link Preparation}) while the chunk before is handed over ({@link HandOver}).
 */
public class MessageDelivery implements ApplicationContextAware {

    private static final Log LOG = LogFactory.getLog(MessageDelivery.class);
    /** Default claim lease ({@code cartrecovery.delivery.lease-seconds}). */
    static final Duration DEFAULT_LEASE = Duration.ofMinutes(10);
    /** Messages prepared together; the next chunk is prepared while one is handed over. */
    static final int PREPARE_CHUNK = 25;
    /** The first chunk of a batch is prepared while nothing is being sent yet: kept small so sending starts soon. */
    static final int FIRST_CHUNK = 5;
    /** The most senders per channel and node {@code cartrecovery.delivery.senders} allows. */
    static final int MAX_SENDERS = 16;

    private final DeliveryNode node;
    private final ClaimQuery claims;
    private final RetryPolicy retries;
    private final KnownOutcomes known;
    private final RenderPool renders = new RenderPool();
    private final Preparation preparation;
    private final HandOver handOver;
    /** Prepares each sender's next chunk while its current one is handed over; threads end when idle. */
    private final ThreadPoolExecutor preparer = RenderPool.daemonThreads("cr-delivery-prepare", MAX_SENDERS);
    /** Runs the senders after the first (which is the delivery job's own thread); threads end when idle. */
    private final ThreadPoolExecutor lanes = RenderPool.daemonThreads("cr-delivery-send", MAX_SENDERS - 1);
    /** Senders per channel and node ({@code cartrecovery.delivery.senders}). */
    private volatile int senders = 1;
    /** The channels by name, email first; a bean named like a built-in one replaces it. */
    private volatile Map<String, Channel<?>> channels = new LinkedHashMap<String, Channel<?>>();
    private final AtomicInteger firstChannel = new AtomicInteger();
    private final DeliveryTimings timings = new DeliveryTimings();

    public MessageDelivery(DataSource dataSource, PlatformTransactionManager transactionManager, ClaimQuery claims,
                           ExitRules exitRules, CampaignRepository campaigns, RecoveryCartReader carts,
                           EmailRenderer renderer, RecoveryLinks links, RecoveryMessageBuilder messages,
                           SmtpMailer mailer, Clock clock, String nodeId, int firstRetryMinutes, int maxAttempts) {
        this.node = new DeliveryNode(nodeId == null || nodeId.trim().isEmpty() ? defaultNodeId() : nodeId.trim(), clock,
                new PlannedMessages(dataSource), new TransactionTemplate(transactionManager),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), DEFAULT_LEASE);
        this.claims = claims;
        this.retries = new RetryPolicy(Duration.ofMinutes(firstRetryMinutes), maxAttempts);
        this.known = new KnownOutcomes(node);
        this.preparation = new Preparation(node, known, exitRules, new CampaignStepCache(campaigns), carts, links, renders);
        this.handOver = new HandOver(node, known, retries, timings, claims.handsOverInOneStatement());
        addChannel(new EmailChannel(renderer, messages, mailer));
    }

    /** Every {@link Channel} bean of the context joins the built-in email channel (a bean named EMAIL replaces it). */
    @Override
    public void setApplicationContext(ApplicationContext context) throws BeansException {
        setChannels(context.getBeansOfType(Channel.class).values());
    }

    /** Adds channels (tests, or a context without autodetection). */
    @SuppressWarnings("rawtypes")
    public void setChannels(Collection<? extends Channel> more) {
        for (Channel<?> channel : more) {
            addChannel(channel);
        }
    }

    private synchronized void addChannel(Channel<?> channel) {
        String name = channel.name();
        if (name == null || !name.matches("[A-Z0-9_]{1,16}")) {
            throw new IllegalArgumentException("a channel's name has 1 to 16 upper-case letters, digits or '_', was '"
                    + name + "' (" + channel.getClass().getName() + ")");
        }
        Map<String, Channel<?>> next = new LinkedHashMap<String, Channel<?>>(channels);
        next.put(name, channel);
        channels = next;
    }

    /**
     * Where delivery counts what it does (bean crMetrics), and the backlog gauge: the age of the oldest due message.
     */
    public void setMetrics(PluginMetrics metrics) {
        node.messages.setMetrics(metrics);
        handOver.setMetrics(metrics);
        metrics.watchBacklog(() -> node.messages.oldestDue(node.now()), node.clock);
    }

    /**
     * How many threads render one chunk (cartrecovery.delivery.render-threads; default: the processors, at most
     * 4). Rendering, building and encoding need no database, so a chunk's messages are spread over them.
     */
    public void setRenderThreads(String setting) {
        renders.setThreads(setting);
    }

    /**
     * How long a claim holds its rows ({@code cartrecovery.delivery.lease-seconds}): after it, CLAIMED rows of a
     * vanished node go back to PLANNED and its SENDING rows become UNCONFIRMED. Must exceed the longest batch.
     */
    public void setLeaseSeconds(int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("cartrecovery.delivery.lease-seconds must be at least 1, not " + seconds);
        }
        node.setLease(Duration.ofSeconds(seconds));
    }

    /**
     * Messages SENDING at once per node and channel ({@code cartrecovery.delivery.hand-over-window}, 1 to 64, default
     * 1): the most a crash can leave UNCONFIRMED. Larger windows need fewer commits on the sending thread.
     */
    public void setHandOverWindow(int window) {
        handOver.setWindow(window);
    }

    /**
     * Senders per node and channel ({@code cartrecovery.delivery.senders}, 1 to 16, default 1): each has its own
     * connection to the channel (SMTP, the provider's API) and its own share of a batch, prepared and handed over as
     * one sender does. The crash bound is senders times the hand-over window: no more messages of a channel are
     * SENDING on a node at once, so no more can be left UNCONFIRMED when it dies. More senders overlap the commits that
     * wait for the database's disk with sending.
     */
    public void setSenders(int senders) {
        if (senders < 1 || senders > MAX_SENDERS) {
            throw new IllegalArgumentException("cartrecovery.delivery.senders must be from 1 to " + MAX_SENDERS + ", was " + senders);
        }
        this.senders = senders;
    }

    /** Messages of one channel a crash of this node can leave UNCONFIRMED at most: senders times the window. */
    public int crashBound() {
        return senders * handOver.window();
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
            retries.setFirstRetry(Duration.ofSeconds(value));
        }
    }

    /** Coupons (issue 5): optional, so delivery works without them; set by the core patch file. */
    /** Experiments (bean crStepVariants): a message planned for an arm gets the arm's subject, template and coupon. */
    public void setStepVariants(io.github.cartrecovery.experiment.StepVariants variants) {
        preparation.setStepVariants(variants);
    }

    /** Email templates edited in the admin (bean crEmailTemplateStore): each message gets the newest saved version. */
    public void setTemplates(io.github.cartrecovery.templates.EmailTemplateStore templates) {
        preparation.setTemplates(templates);
    }

    public void setCoupons(CouponIssuer coupons) {
        preparation.setCoupons(coupons);
    }

    /** The products of browse and post-purchase messages (bean crProductListReader); without it they are not sent. */
    public void setProductLists(io.github.cartrecovery.rendering.ProductListReader productLists) {
        preparation.setProductLists(productLists);
    }

    /** first retry, then doubling: 5, 10, 20, 40 minutes... capped at 12 hours. */
    Duration backoff(int attempt) {
        return retries.backoff(attempt);
    }

    /** Delivers up to {@code maxMessages} due messages; returns how many were sent. */
    public int deliverDue(int maxMessages) {
        return deliverBatch(maxMessages).sent;
    }

    /**
     * One batch: claims up to {@code maxMessages} due messages, over all channels, and delivers them (exit rules may
     * skip some). {@link Batch#goOn} tells a delivery run whether to claim the next batch: yes when this one claimed
     * messages on a channel that answered, even if every message was skipped, so a backlog of bought carts does
     * not hold a run to one batch per interval.
     */
    public Batch deliverBatch(final int maxMessages) {
        final Instant now = node.now();
        known.writeAll(handOver);
        cleanUpExpiredLeases(now);
        List<Channel<?>> order = new ArrayList<Channel<?>>(channels.values());
        int first = Math.floorMod(firstChannel.getAndIncrement(), order.size());
        int claimed = 0;
        int sent = 0;
        boolean goOn = false;
        for (int i = 0; i < order.size() && claimed < maxMessages; i++) {
            Batch batch = deliverBatch(order.get((first + i) % order.size()), maxMessages - claimed, now);
            claimed += batch.claimed;
            sent += batch.sent;
            goOn |= batch.goOn;
        }
        return new Batch(claimed, sent, goOn);
    }

    private void cleanUpExpiredLeases(final Instant now) {
        try {
            node.inTransaction(new TransactionCallback<Void>() {
                @Override
                public Void doInTransaction(TransactionStatus status) {
                    // A plain read first (no locks: usually there are none), then only those rows by primary key. A
                    // ranged UPDATE over IX_CR_PLANNED_STATUS_LEASE instead took next-key locks on the CLAIMED entries
                    // other nodes were changing at that moment: on MariaDB two nodes deadlocked on it several times
                    // per thousand messages.
                    node.messages.releaseExpiredClaims(node.messages.expiredClaims(now), now);
                    node.messages.unconfirmExpiredSending(node.messages.expiredSending(now), now);
                    return null;
                }
            });
        } catch (RuntimeException e) {
            if (!SqlFailures.isLockRace(e)) {
                throw e;
            }
            LOG.debug("Cart Recovery: lease clean-up lost a lock race; the next run repeats it", PersonalDataMask.failure(e));
        }
    }

    private <T> Batch deliverBatch(final Channel<T> channel, final int maxMessages, final Instant now) {
        List<Long> claimed;
        try {
            claimed = node.inTransaction(new TransactionCallback<List<Long>>() {
                @Override
                public List<Long> doInTransaction(TransactionStatus status) {
                    return claims.claim(node.messages.jdbc(), channel.name(), node.id, now, now.plus(node.lease()), maxMessages);
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
        List<List<Long>> shares = shares(claimed, senders);
        final Set<String> refused = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());
        List<Future<Lane>> others = new ArrayList<Future<Lane>>();
        for (int i = 1; i < shares.size(); i++) {
            final List<Long> share = shares.get(i);
            others.add(lanes.submit(new Callable<Lane>() {
                @Override
                public Lane call() {
                    return send(channel, share, refused);
                }
            }));
        }
        RuntimeException failure = null;
        Lane total;
        try {
            total = send(channel, shares.get(0), refused);
        } catch (RuntimeException e) {
            failure = e;
            total = new Lane(0, true);
        }
        for (Future<Lane> other : others) {
            try {
                Lane lane = RenderPool.await(other);
                total = new Lane(total.sent + lane.sent, total.answered | lane.answered);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return new Batch(claimed.size(), total.sent, total.answered);
    }

    /** {@code claimed} in due order, dealt out to {@code senders} shares (none empty), chunk-sized runs kept together. */
    static List<List<Long>> shares(List<Long> claimed, int senders) {
        int count = Math.max(1, Math.min(senders, claimed.size()));
        List<List<Long>> shares = new ArrayList<List<Long>>();
        int from = 0;
        for (int i = 0; i < count; i++) {
            int to = from + (claimed.size() - from) / (count - i);
            shares.add(new ArrayList<Long>(claimed.subList(from, to)));
            from = to;
        }
        return shares;
    }

    /** One sender: opens its own connection to the channel and prepares and hands over its share of the batch. */
    private <T> Lane send(Channel<T> channel, List<Long> share, Set<String> refused) {
        Channel.Sender<T> sender;
        try {
            sender = channel.open();
        } catch (ChannelUnavailableException e) {
            LOG.warn("Cart Recovery: " + channel.name() + " unavailable, " + share.size() + " messages rescheduled: "
                    + PersonalDataMask.failure(e));
            for (Long id : share) {
                handOver.retryLater(id, Held.CLAIMED, e.getMessage(), null);
            }
            return new Lane(0, false);
        }
        boolean reusable = false;
        try {
            int sent = prepareAndSend(channel, share, sender, refused);
            reusable = true;
            return new Lane(sent, true);
        } finally {
            sender.close(reusable);
        }
    }

    /** What one sender did: messages sent, and whether its channel answered. */
    private static final class Lane {
        final int sent;
        final boolean answered;

        Lane(int sent, boolean answered) {
            this.sent = sent;
            this.answered = answered;
        }
    }

    /**
     * Prepares and hands over in chunks, overlapped: while one chunk is with the channel (mostly waiting for the
     * server), the next chunk is prepared on the preparing thread. Each chunk is its own prepare transaction.
     */
    private <T> int prepareAndSend(final Channel<T> channel, List<Long> claimed, Channel.Sender<T> sender, Set<String> refused) {
        List<List<Long>> chunks = new ArrayList<List<Long>>();
        for (int from = 0; from < claimed.size(); ) {
            int size = chunks.isEmpty() ? FIRST_CHUNK : PREPARE_CHUNK;
            chunks.add(claimed.subList(from, Math.min(claimed.size(), from + size)));
            from += size;
        }
        int sent = 0;
        Future<List<Outgoing<T>>> next = prepareLater(channel, chunks.get(0));
        int unprepared = 1; // chunks from here on were claimed and never prepared
        boolean done = false;
        try {
            for (int i = 0; i < chunks.size(); i++) {
                long waitStart = System.nanoTime();
                List<Outgoing<T>> ready = RenderPool.await(next);
                timings.waitingForPreparation.addAndGet(System.nanoTime() - waitStart);
                next = i + 1 < chunks.size() ? prepareLater(channel, chunks.get(i + 1)) : null;
                unprepared = i + 2;
                sent += handOver.send(channel, ready, sender, refused);
            }
            done = true;
        } finally {
            if (!done) {
                // something failed: the chunk prepared meanwhile was never handed over, nor were later chunks
                List<Long> neverHanded = new ArrayList<Long>();
                try {
                    if (next != null) {
                        neverHanded.addAll(HandOver.idsOf(RenderPool.await(next)));
                    }
                } catch (RuntimeException preparing) {
                    LOG.debug("Cart Recovery: the chunk prepared meanwhile failed too; its own handling applies", PersonalDataMask.failure(preparing));
                }
                for (int i = unprepared; i < chunks.size(); i++) {
                    neverHanded.addAll(chunks.get(i));
                }
                try {
                    known.release(neverHanded);
                } catch (RuntimeException releasing) {
                    LOG.info("Cart Recovery: could not release " + neverHanded.size() + " planned messages yet; the next "
                            + "batch tries again (" + PersonalDataMask.failure(releasing) + ")");
                }
            }
        }
        return sent;
    }

    private <T> Future<List<Outgoing<T>>> prepareLater(final Channel<T> channel, final List<Long> ids) {
        return preparer.submit(new Callable<List<Outgoing<T>>>() {
            @Override
            public List<Outgoing<T>> call() {
                long start = System.nanoTime();
                try {
                    return preparation.prepare(channel, new ArrayList<Long>(ids));
                } finally {
                    timings.preparing.addAndGet(System.nanoTime() - start);
                }
            }
        });
    }

    /** Where this node's delivery threads spent their time (the delivery benchmark prints it). */
    public DeliveryTimings timings() {
        return timings;
    }

    /** Closes what the channels keep open between batches (the delivery job calls this when a run ends). */
    public void closeIdleConnection() {
        for (Channel<?> channel : channels.values()) {
            try {
                channel.closeIdle();
            } catch (RuntimeException e) {
                LOG.debug("Cart Recovery: closing " + channel.name() + " failed", e);
            }
        }
    }

    private static String defaultNodeId() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName() + ":" + java.util.UUID.randomUUID().toString().substring(0, 8);
        } catch (java.net.UnknownHostException e) {
            return "node:" + java.util.UUID.randomUUID().toString().substring(0, 8);
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
}
