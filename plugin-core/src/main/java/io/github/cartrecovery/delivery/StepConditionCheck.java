package io.github.cartrecovery.delivery;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import io.github.cartrecovery.campaign.AudienceFacts;
import io.github.cartrecovery.campaign.OrderHistory;
import io.github.cartrecovery.campaign.SendTimeFacts;
import io.github.cartrecovery.campaign.StepCondition;
import io.github.cartrecovery.rendering.SqlLists;

/**
 * The send-time conditions of the messages' steps (CR_CAMPAIGN_STEP_CONDITION), for {@link ExitRules}: set-based, one
 * statement for the chunk's conditions, one more for the previous steps' opens and clicks when a PREVIOUS_STEP
 * condition is among them, one more for the shoppers' order history when a SEGMENT condition is. The cart total is
 * CR_CAPTURED_CART.TOTAL as last captured (the amount audience conditions and exclusions use), not a repricing at
 * today's prices. Thread-safe.
 */
final class StepConditionCheck {

    static final String CONDITIONS = "SELECT STEP_ID, CONDITION_TYPE, CURRENCY_CODE, NUMBER_VALUE, TEXT_VALUE "
            + "FROM CR_CAMPAIGN_STEP_CONDITION WHERE STEP_ID IN (%s) ORDER BY STEP_ID, ID";

    /**
     * Per message: whether the cart's message of the step before (the next lower step number of the same campaign) was
     * opened or clicked. UQ_CR_PLANNED_ORDER_STEP (ORDER_ID first) for the previous message, IX_CR_EVENT_MESSAGE for its
     * events. A first step has no row.
     */
    static final String PREVIOUS_STEP = "SELECT m.ID, "
            + "CASE WHEN EXISTS (SELECT 1 FROM CR_MESSAGE_EVENT e WHERE e.PLANNED_MESSAGE_ID = p.ID "
            + "AND e.EVENT_TYPE = 'OPENED') THEN 1 ELSE 0 END AS OPENED, "
            + "CASE WHEN EXISTS (SELECT 1 FROM CR_MESSAGE_EVENT e WHERE e.PLANNED_MESSAGE_ID = p.ID "
            + "AND e.EVENT_TYPE = 'CLICKED') THEN 1 ELSE 0 END AS CLICKED "
            + "FROM CR_PLANNED_MESSAGE m JOIN CR_PLANNED_MESSAGE p ON p.ORDER_ID = m.ORDER_ID AND p.CAMPAIGN_ID = m.CAMPAIGN_ID "
            + "AND p.STEP_NO = (SELECT MAX(q.STEP_NO) FROM CR_PLANNED_MESSAGE q WHERE q.ORDER_ID = m.ORDER_ID "
            + "AND q.CAMPAIGN_ID = m.CAMPAIGN_ID AND q.STEP_NO < m.STEP_NO) WHERE m.ID IN (%s)";

    private final OrderHistory orderHistory = new OrderHistory();
    private volatile boolean marketingConsentRequired;

    /** cartrecovery.exclusion.require-marketing-consent: CHANNEL_CONSENT EMAIL then needs an explicit GRANTED. */
    void setMarketingConsentRequired(boolean required) {
        this.marketingConsentRequired = required;
    }

    /**
     * For each of these messages whose step has a condition that does not hold: the conditions that do not, in words
     * (messages that may go are not in the map).
     */
    Map<Long, String> unmet(JdbcTemplate jdbc, List<PlannedMessageRow> messages, Map<Long, MessageFacts> facts) {
        Map<Long, String> unmet = new LinkedHashMap<Long, String>();
        if (messages.isEmpty()) {
            return unmet;
        }
        Map<Long, List<StepCondition>> byStep = conditions(jdbc, messages);
        if (byStep.isEmpty()) {
            return unmet;
        }
        List<PlannedMessageRow> conditional = new ArrayList<PlannedMessageRow>();
        List<Long> needPrevious = new ArrayList<Long>();
        List<OrderHistory.Shopper> needShopper = new ArrayList<OrderHistory.Shopper>();
        for (PlannedMessageRow message : messages) {
            List<StepCondition> conditions = byStep.get(message.getStepId());
            if (conditions == null) {
                continue;
            }
            conditional.add(message);
            boolean previous = false;
            boolean shopper = false;
            for (StepCondition condition : conditions) {
                previous |= condition.needsPreviousStep();
                shopper |= condition.needsShopper();
            }
            if (previous) {
                needPrevious.add(message.getId());
            }
            if (shopper) {
                needShopper.add(new OrderHistory.Shopper(message.getOrderId(), facts.get(message.getId()).customerId,
                        message.getEmail() == null ? null : message.getEmail().trim().toLowerCase(Locale.ROOT)));
            }
        }
        Map<Long, int[]> previous = needPrevious.isEmpty() ? Collections.<Long, int[]>emptyMap() : previous(jdbc, needPrevious);
        Map<Long, OrderHistory.Orders> history = needShopper.isEmpty()
                ? Collections.<Long, OrderHistory.Orders>emptyMap() : orderHistory.ofShoppers(jdbc, needShopper);
        for (PlannedMessageRow message : conditional) {
            MessageFacts cart = facts.get(message.getId());
            int[] events = previous.get(message.getId());
            OrderHistory.Orders orders = history.get(message.getOrderId());
            AudienceFacts shopper = orders == null ? null : new AudienceFacts(cart.total, cart.currency, 0, null,
                    cart.registered, orders.getCount() > 0, null, orders.getSpentByCurrency());
            SendTimeFacts sendTime = new SendTimeFacts(
                    SendTimeFacts.emailConsent(cart.marketingConsent, marketingConsentRequired),
                    SendTimeFacts.smsConsent(cart.smsConsent, cart.hasPhone), cart.total, cart.currency,
                    events != null && events[0] == 1, events != null && events[1] == 1, shopper);
            List<String> failed = new ArrayList<String>();
            for (StepCondition condition : byStep.get(message.getStepId())) {
                if (!condition.matches(sendTime)) { // a type this version does not know never holds
                    failed.add(condition.whyNot(sendTime));
                }
            }
            if (!failed.isEmpty()) {
                unmet.put(message.getId(), join(failed));
            }
        }
        return unmet;
    }

    private static Map<Long, List<StepCondition>> conditions(JdbcTemplate jdbc, List<PlannedMessageRow> messages) {
        Set<Long> steps = new LinkedHashSet<Long>();
        for (PlannedMessageRow message : messages) {
            steps.add(message.getStepId());
        }
        final Map<Long, List<StepCondition>> byStep = new HashMap<Long, List<StepCondition>>();
        List<Long> padded = SqlLists.padded(steps);
        jdbc.query(String.format(CONDITIONS, SqlLists.placeholders(padded.size())), new RowCallbackHandler() {
            @Override
            public void processRow(ResultSet rs) throws SQLException {
                long step = rs.getLong("STEP_ID");
                List<StepCondition> conditions = byStep.get(step);
                if (conditions == null) {
                    conditions = new ArrayList<StepCondition>();
                    byStep.put(step, conditions);
                }
                BigDecimal number = rs.getBigDecimal("NUMBER_VALUE");
                conditions.add(StepCondition.of(rs.getString("CONDITION_TYPE"), rs.getString("CURRENCY_CODE"), number,
                        rs.getString("TEXT_VALUE")));
            }
        }, padded.toArray());
        return byStep;
    }

    /** Per message id: {opened, clicked} of its previous step's message (1 or 0). */
    private static Map<Long, int[]> previous(JdbcTemplate jdbc, List<Long> ids) {
        final Map<Long, int[]> events = new HashMap<Long, int[]>();
        List<Long> padded = SqlLists.padded(ids);
        jdbc.query(String.format(PREVIOUS_STEP, SqlLists.placeholders(padded.size())), new RowCallbackHandler() {
            @Override
            public void processRow(ResultSet rs) throws SQLException {
                events.put(rs.getLong("ID"), new int[] {rs.getInt("OPENED"), rs.getInt("CLICKED")});
            }
        }, padded.toArray());
        return events;
    }

    private static String join(List<String> parts) {
        StringBuilder text = new StringBuilder();
        for (String part : parts) {
            text.append(text.length() == 0 ? "" : "; ").append(part);
        }
        return text.toString();
    }
}
