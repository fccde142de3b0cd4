package io.github.cartrecovery.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.persistence.PersistenceException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;

import io.github.cartrecovery.database.SqlFailures;
import io.github.cartrecovery.experiment.StepVariants;
import io.github.cartrecovery.rendering.EditedCopy;
import io.github.cartrecovery.templates.EmailTemplateStore;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.CampaignStepCache;
import io.github.cartrecovery.channel.Addressee;
import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.ChannelMessage;
import io.github.cartrecovery.channel.Recipient;
import io.github.cartrecovery.coupon.CouponIssuer;
import io.github.cartrecovery.coupon.IssuedCoupon;
import io.github.cartrecovery.messages.PlannedMessages;
import io.github.cartrecovery.personaldata.PersonalDataMask;
import io.github.cartrecovery.rendering.ProductListReader;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.rendering.RecoveryCartReader;
import io.github.cartrecovery.rendering.SqlLists;

/**
 * Prepares one chunk of claimed messages of one channel, in one transaction: the rows still CLAIMED by this node are
 * read (a row whose lease went to another node drops out), the exit rules are checked against Broadleaf's tables for
 * all of them ({@link ExitRules}), the channel names each recipient or why not ({@link Channel#recipients}), carts,
 * items and today's prices are read for the rest ({@link RecoveryCartReader}), steps come from the
 * {@link CampaignStepCache} (with an experiment arm's subject, template and coupon applied, {@link StepVariants}),
 * coupons are issued, the channel builds each message on the render threads
 * ({@link RenderPool}, no database work), and, last, every row to send is marked PREPARED with its stable message key,
 * every stopped one SKIPPED, every one to wait (quiet hours) PLANNED again, all only if still CLAIMED by this node.
 * Commit. A purchase committed before this point stops the message.
 * <p>
 * A message that cannot be prepared (an unusable address, a broken template) is FAILED with outcome PREPARE_ERROR in
 * the same transaction and the chunk goes on; if a statement fails, the chunk is prepared again one message at a time
 * so one bad row cannot hold up the others; a lost lock race (deadlock, lock timeout) or an unavailable database only
 * puts the rows back to PLANNED.
 */
final class Preparation {

    private static final Log LOG = LogFactory.getLog(MessageDelivery.class);

    /** The claimed rows of a chunk that are still this node's, in due order (PK lookups). */
    static final String CLAIMED_ROWS = "SELECT m.ID, m.ORDER_ID, m.CAMPAIGN_ID, m.STEP_ID, m.EMAIL, m.LOCALE_CODE, "
            + "m.ATTEMPTS, m.MESSAGE_ID, m.ARM_ID, m.TRIGGER_TYPE, t.SKU_ID AS TRIGGER_SKU_ID, m.BROWSE_SESSION_ID, "
            + "c.ABANDONED_AT, s.FIRST_VIEW_AT, k.UPDATED_AT AS CAMPAIGN_UPDATED_AT FROM CR_PLANNED_MESSAGE m "
            + "LEFT JOIN CR_CAPTURED_CART c ON c.ORDER_ID = m.ORDER_ID LEFT JOIN CR_CAMPAIGN k ON k.ID = m.CAMPAIGN_ID "
            + "LEFT JOIN CR_TRIGGER_EVENT t ON t.ID = m.TRIGGER_EVENT_ID "
            + "LEFT JOIN CR_BROWSE_SESSION s ON s.ID = m.BROWSE_SESSION_ID "
            + "WHERE m.ID IN (%s) AND m.STATUS = 'CLAIMED' AND m.CLAIMED_BY = ? ORDER BY m.DUE_AT, m.ID";

    private final DeliveryNode node;
    private final KnownOutcomes known;
    private final ExitRules exitRules;
    private final CampaignStepCache steps;
    private final RecoveryCartReader carts;
    private final RecoveryLinks links;
    private final RenderPool renders;
    /** Coupons (issue 5): optional, so delivery works without them. */
    private volatile CouponIssuer coupons;
    /** Experiments: the arm's subject, template and coupon for messages planned for an arm; optional. */
    private volatile StepVariants variants;
    private volatile EmailTemplateStore templates;
    /** The products of browse and post-purchase messages; optional (without it such messages are not sent). */
    private volatile ProductListReader productLists;

    Preparation(DeliveryNode node, KnownOutcomes known, ExitRules exitRules, CampaignStepCache steps,
                RecoveryCartReader carts, RecoveryLinks links, RenderPool renders) {
        this.node = node;
        this.known = known;
        this.exitRules = exitRules;
        this.steps = steps;
        this.carts = carts;
        this.links = links;
        this.renders = renders;
    }

    void setStepVariants(StepVariants variants) {
        this.variants = variants;
    }

    void setTemplates(EmailTemplateStore templates) {
        this.templates = templates;
    }

    void setCoupons(CouponIssuer coupons) {
        this.coupons = coupons;
    }

    void setProductLists(ProductListReader productLists) {
        this.productLists = productLists;
    }

    /** The chunk's messages to hand over, committed as PREPARED. */
    <T> List<Outgoing<T>> prepare(Channel<T> channel, List<Long> ids) {
        return prepare(channel, ids, 1);
    }

    private <T> List<Outgoing<T>> prepare(final Channel<T> channel, final List<Long> ids, int attempt) {
        try {
            return node.inTransaction(new TransactionCallback<List<Outgoing<T>>>() {
                @Override
                public List<Outgoing<T>> doInTransaction(TransactionStatus status) {
                    return prepareInTransaction(channel, ids, node.now());
                }
            });
        } catch (RuntimeException e) {
            if (SqlFailures.isLockRace(e)) {
                // Nothing was sent and nothing is wrong with the messages (a deadlock, a lock timeout): the rows are
                // still this node's claim, so prepare them again; after the last try let them go for the next run.
                if (attempt < KnownOutcomes.LOCK_RACE_ATTEMPTS) {
                    LOG.debug("Cart Recovery: preparing " + ids.size() + " messages lost a lock race; trying again", PersonalDataMask.failure(e));
                    return prepare(channel, ids, attempt + 1);
                }
                LOG.info("Cart Recovery: preparing " + ids.size() + " messages lost " + attempt
                        + " lock races; they go back to PLANNED (" + PersonalDataMask.text(e.getMessage()) + ")");
                known.release(ids);
                return Collections.emptyList();
            }
            if (SqlFailures.isUnavailable(e)) {
                // Nothing was sent and nothing is wrong with the messages: the database is gone for now. Release them if
                // it answers again already, else their leases expire; never FAILED for the database's sake.
                LOG.warn("Cart Recovery: database unavailable while preparing " + ids.size() + " messages; they stay due: " + PersonalDataMask.failure(e));
                try {
                    known.release(ids);
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
            List<Outgoing<T>> outgoing = new ArrayList<Outgoing<T>>();
            for (Long id : ids) {
                outgoing.addAll(prepare(channel, Collections.singletonList(id), 1));
            }
            return outgoing;
        }
    }

    private <T> List<Outgoing<T>> prepareInTransaction(Channel<T> channel, List<Long> ids, Instant now) {
        JdbcTemplate jdbc = node.messages.jdbc();
        List<Long> padded = SqlLists.padded(ids);
        List<PlannedMessageRow> rows = jdbc.query(String.format(CLAIMED_ROWS, SqlLists.placeholders(padded.size())), ROW,
                SqlLists.args(padded, node.id)); // rows whose lease went to another node are not among them
        Map<Long, Exit> exits = exitRules.exits(jdbc, rows, now);
        List<Object[]> skipped = new ArrayList<Object[]>();
        List<PlannedMessageRow> open = new ArrayList<PlannedMessageRow>();
        List<Addressee> addressees = new ArrayList<Addressee>();
        for (PlannedMessageRow row : rows) {
            Exit exit = exits.get(row.getId());
            if (exit != null) {
                skipped.add(PlannedMessages.skip(row.getId(), exit.getReason().name(), exit.eventDetail(), node.id, now));
            } else {
                open.add(row);
                addressees.add(new Addressee(row.getId(), row.getOrderId(), row.getEmail(), row.getLocaleCode()));
            }
        }
        Map<Long, Recipient> recipients = addressees.isEmpty() ? Collections.<Long, Recipient>emptyMap()
                : channel.recipients(jdbc, addressees, now);
        List<PlannedMessageRow> addressed = new ArrayList<PlannedMessageRow>();
        List<Long> orderIds = new ArrayList<Long>();
        List<Long> boughtOrderIds = new ArrayList<Long>();
        List<Long> browseSessionIds = new ArrayList<Long>();
        List<Object[]> deferred = new ArrayList<Object[]>();
        for (PlannedMessageRow row : open) {
            Recipient recipient = recipients.get(row.getId());
            if (recipient == null) {
                recipient = Recipient.skip(Recipient.NO_ADDRESS);
            }
            if (recipient.isSkipped()) {
                skipped.add(PlannedMessages.skip(row.getId(), recipient.getSkipReason(), node.id, now));
            } else if (recipient.isDeferred() && recipient.getNotBefore().isAfter(now)) {
                deferred.add(new Object[] {row.getId(), recipient.getNotBefore()});
            } else {
                addressed.add(row);
                if (PlannedMessageRow.BROWSE.equals(row.getTriggerType())) {
                    browseSessionIds.add(row.getBrowseSessionId());
                } else if (PlannedMessageRow.POST_PURCHASE.equals(row.getTriggerType())) {
                    boughtOrderIds.add(row.getOrderId());
                } else {
                    orderIds.add(row.getOrderId());
                }
            }
        }
        Map<Long, RecoveryCart> cartsByOrder = carts.read(jdbc, orderIds);
        ProductListReader lists = productLists;
        Map<Long, RecoveryCart> browsed = lists == null || browseSessionIds.isEmpty()
                ? Collections.<Long, RecoveryCart>emptyMap() : lists.browsed(jdbc, browseSessionIds);
        Map<Long, RecoveryCart> afterPurchase = lists == null || boughtOrderIds.isEmpty()
                ? Collections.<Long, RecoveryCart>emptyMap() : lists.afterPurchase(jdbc, boughtOrderIds);
        List<ChannelMessage> drafts = new ArrayList<ChannelMessage>();
        Map<String, EditedCopy> edited = new HashMap<String, EditedCopy>(); // template|locale -> newest saved words, this chunk
        for (PlannedMessageRow row : addressed) {
            RecoveryCart cart = PlannedMessageRow.BROWSE.equals(row.getTriggerType()) ? browsed.get(row.getBrowseSessionId())
                    : PlannedMessageRow.POST_PURCHASE.equals(row.getTriggerType()) ? afterPurchase.get(row.getOrderId())
                    : cartsByOrder.get(row.getOrderId());
            if (cart == null || cart.getLines().isEmpty()) {
                skipped.add(PlannedMessages.skip(row.getId(), ExitReason.NO_ITEMS_AVAILABLE.name(), node.id, now));
                continue;
            }
            ExitReason itemExit = TriggeredItem.exit(row, cart);
            if (itemExit != null) {
                skipped.add(PlannedMessages.skip(row.getId(), itemExit.name(), node.id, now));
                continue;
            }
            try {
                drafts.add(draft(channel, row, recipients.get(row.getId()), cart, edited)); // issues the coupon, in this transaction
            } catch (RuntimeException e) {
                if (e instanceof DataAccessException || e instanceof PersistenceException) {
                    throw e; // the transaction may be spoilt: the chunk is prepared again one by one
                }
                notPrepared(row.getId(), e, now);
            }
        }
        List<Object> built = renders.buildAll(channel, drafts);
        List<Outgoing<T>> outgoing = new ArrayList<Outgoing<T>>();
        List<Object[]> prepared = new ArrayList<Object[]>();
        for (int i = 0; i < drafts.size(); i++) {
            ChannelMessage draft = drafts.get(i);
            if (built.get(i) instanceof RuntimeException) {
                notPrepared(draft.getPlannedMessageId(), (RuntimeException) built.get(i), now);
                continue;
            }
            prepared.add(PlannedMessages.prepared(draft.getMessageKey(), draft.getTemplateVersionId(), now.plus(node.lease()), now,
                    draft.getPlannedMessageId(), node.id));
            @SuppressWarnings("unchecked")
            T content = (T) built.get(i);
            outgoing.add(new Outgoing<T>(draft.getPlannedMessageId(), draft.getRecipient(), content));
        }
        // The chunk's only writes to CR_PLANNED_MESSAGE come last, each still conditional on the row being this
        // node's claim: so no lock on it is held while the chunk renders (HSQLDB's default LOCKS mode locks the whole
        // table for a writing transaction, which would stall the hand-over of the chunk being sent meanwhile).
        node.messages.skipClaimed(skipped);
        for (Object[] wait : deferred) {
            node.messages.deferClaimed((Long) wait[0], node.id, (Instant) wait[1], now);
        }
        node.messages.markPrepared(prepared);
        return outgoing;
    }

    /** What the channel needs to build one message (its coupon issued in the chunk's transaction). */
    private <T> ChannelMessage draft(Channel<T> channel, PlannedMessageRow row, Recipient recipient, RecoveryCart cart,
                                     Map<String, EditedCopy> edited) {
        CampaignStep step = steps.step(row.getStepId(), row.getCampaignUpdatedAt());
        if (step == null) {
            throw new IllegalStateException("campaign step " + row.getStepId() + " does not exist any more");
        }
        if (row.getArmId() != null && variants != null) {
            step = variants.apply(step, row.getArmId());
        }
        // a retry keeps the key of the message's first prepare, so a receiver folds a repeat
        String key = row.getMessageId() != null ? row.getMessageId() : channel.newMessageKey(row.getId());
        // a coupon is a cart's (it is applied when the cart comes back): browse and post-purchase messages carry none
        IssuedCoupon coupon = coupons == null || row.isCartless() ? null
                : coupons.issueFor(row.getId(), row.getOrderId(), row.getEmail(), step, cart);
        MessageLinks messageLinks = row.isCartless()
                ? MessageLinks.toPage(links, row.getId(), cart.getLines().get(0).getProductUrl() == null ? "/"
                        : cart.getLines().get(0).getProductUrl())
                : new MessageLinks(links, row.getId(), row.getOrderId());
        return new ChannelMessage(row.getId(), row.getOrderId(), step.getStepNo(), key, recipient, row.getEmail(),
                step.getTemplate(), step.subjectFor(cart.getLocaleCode()), cart,
                messageLinks, coupon,
                editedCopy(channel, step.getTemplate(), cart.getLocaleCode(), edited));
    }

    /** The newest words saved in the admin for an email template in the cart's locale, read once per chunk; null: none. */
    private <T> EditedCopy editedCopy(Channel<T> channel, String template, String localeCode, Map<String, EditedCopy> edited) {
        EmailTemplateStore store = templates;
        if (store == null || !EmailChannel.NAME.equals(channel.name())) {
            return null;
        }
        String key = template + "|" + localeCode;
        if (!edited.containsKey(key)) {
            edited.put(key, store.newest(node.messages.jdbc(), template, localeCode));
        }
        return edited.get(key);
    }

    /** A message that cannot be prepared (an unusable address, a broken template) is FAILED; the chunk goes on. */
    private void notPrepared(long id, RuntimeException e, Instant now) {
        LOG.warn("Cart Recovery: planned message " + id + " could not be prepared and is marked FAILED: " + PersonalDataMask.failure(e));
        node.messages.failClaimed(id, node.id, e.toString(), now);
    }

    private void failBeforeSending(final long id, final RuntimeException failure) {
        LOG.warn("Cart Recovery: planned message " + id + " could not be prepared and is marked FAILED: " + PersonalDataMask.failure(failure));
        node.inTransaction(new TransactionCallback<Void>() {
            @Override
            public Void doInTransaction(TransactionStatus status) {
                node.messages.failClaimed(id, node.id, failure.toString(), node.now());
                return null;
            }
        });
    }

    private static Long triggerSkuId(ResultSet rs) throws SQLException {
        long skuId = rs.getLong("TRIGGER_SKU_ID");
        return rs.wasNull() ? null : skuId;
    }

    private static Long armId(ResultSet rs) throws SQLException {
        long armId = rs.getLong("ARM_ID");
        return rs.wasNull() ? null : armId;
    }

    private static final RowMapper<PlannedMessageRow> ROW = new RowMapper<PlannedMessageRow>() {
        @Override
        public PlannedMessageRow mapRow(ResultSet rs, int rowNum) throws SQLException {
            Timestamp abandoned = rs.getTimestamp("ABANDONED_AT");
            Timestamp firstView = rs.getTimestamp("FIRST_VIEW_AT");
            long browseSession = rs.getLong("BROWSE_SESSION_ID");
            Long browseSessionId = rs.wasNull() ? null : browseSession;
            String trigger = rs.getString("TRIGGER_TYPE");
            // a browse message counts "ordered since" from its session's first view
            Timestamp since = browseSessionId != null ? firstView : abandoned;
            return new PlannedMessageRow(rs.getLong("ID"), rs.getLong("ORDER_ID"), rs.getLong("CAMPAIGN_ID"),
                    rs.getLong("STEP_ID"), rs.getString("EMAIL"), rs.getString("LOCALE_CODE"), rs.getInt("ATTEMPTS"),
                    since == null ? Instant.EPOCH : since.toInstant(), rs.getTimestamp("CAMPAIGN_UPDATED_AT"),
                    rs.getString("MESSAGE_ID"), armId(rs), trigger, triggerSkuId(rs), browseSessionId);
        }
    };
}
