package io.github.cartrecovery.triggers;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.TriggerPlanner;
import io.github.cartrecovery.campaign.TriggerType;
import io.github.cartrecovery.rendering.CatalogPrices;
import io.github.cartrecovery.rendering.SqlLists;
import io.github.cartrecovery.scheduling.ScheduledWork;

/**
 * The price-drop and back-in-stock detector (job {@code watch-cart-items}): walks the captured lines of every open
 * abandoned cart (CR_CAPTURED_CART STATUS = 'IN_RECOVERY': abandoned, planned, not bought, emptied, deleted or held
 * out) in batches of {@code batchSize} carts, by ORDER_ID, and compares each line with Broadleaf's catalog today
 * ({@link CatalogPrices#today}: the price the storefront charges, sale price included, and whether the SKU is sold and
 * in stock). However a price or a stock level changed (an admin edit, a sale price, an import straight into BLC_SKU),
 * the next run sees it, because it compares states rather than listening for edits.
 * <ul>
 * <li><b>Price drop</b>: a line in stock whose price is below the captured price (or below the lowest price an earlier
 * alert announced) by the {@link PriceDropRule}: event {@code PRICE_DROP:<order>:<sku>:<new price>}.</li>
 * <li><b>Back in stock</b>: a line whose SKU is not sold or out of stock is marked in CR_ITEM_OUT_OF_STOCK (since
 * when); a marked line sold and in stock again is event {@code BACK_IN_STOCK:<order>:<sku>:<since>}, and the mark
 * goes.</li>
 * </ul>
 * Each event is recorded and its alert planned by the {@link TriggerPlanner}, in a transaction of its own, under a
 * unique key: one alert per event, however many nodes or runs see it. A trigger without an enabled campaign is not
 * watched at all (no marks, no events), so the job costs nothing until a store enables one.
 *
 * <p>Cost per run: per batch, four statements (the carts, their lines, their earlier price-drop events, their marks)
 * and one catalog lookup for the batch's distinct SKUs; so a run grows with the number of open abandoned carts and
 * their lines, not with the size of the catalog or the order table. Runs as a clustered job (one node at a time);
 * running it on two nodes at once still plans each event once.
 */
public class CartItemWatch implements ScheduledWork {

    static final String OPEN_CARTS = "SELECT ORDER_ID, CURRENCY_CODE FROM CR_CAPTURED_CART "
            + "WHERE STATUS = 'IN_RECOVERY' AND ORDER_ID > ? ORDER BY ORDER_ID";

    private final JdbcTemplate jdbc;
    private final CatalogPrices catalog;
    private final TriggerPlanner planner;
    private final CampaignRepository campaigns;
    private final PriceDropRule priceDrops;
    private final Clock clock;
    private final int batchSize;

    public CartItemWatch(DataSource dataSource, CatalogPrices catalog, TriggerPlanner planner, CampaignRepository campaigns,
                         PriceDropRule priceDrops, Clock clock, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("cartrecovery.triggers.batch-size must be at least 1, was " + batchSize);
        }
        this.jdbc = new JdbcTemplate(dataSource);
        this.catalog = catalog;
        this.planner = planner;
        this.campaigns = campaigns;
        this.priceDrops = priceDrops;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** One pass over every open abandoned cart; returns how many alerts were planned. */
    @Override
    public int run() {
        List<Campaign> priceDropCampaigns = campaigns.enabledByPriority(TriggerType.PRICE_DROP);
        List<Campaign> backInStockCampaigns = campaigns.enabledByPriority(TriggerType.BACK_IN_STOCK);
        if (priceDropCampaigns.isEmpty() && backInStockCampaigns.isEmpty()) {
            return 0;
        }
        JdbcTemplate batches = new JdbcTemplate(jdbc.getDataSource());
        batches.setMaxRows(batchSize);
        int planned = 0;
        long after = Long.MIN_VALUE;
        while (!Thread.currentThread().isInterrupted()) {
            final Map<Long, String> currencies = new LinkedHashMap<Long, String>();
            batches.query(OPEN_CARTS, new RowCallbackHandler() {
                @Override
                public void processRow(ResultSet rs) throws SQLException {
                    currencies.put(rs.getLong(1), rs.getString(2));
                }
            }, after);
            if (currencies.isEmpty()) {
                break;
            }
            planned += watch(currencies, priceDropCampaigns, backInStockCampaigns);
            if (currencies.size() < batchSize) {
                break;
            }
            for (Long orderId : currencies.keySet()) {
                after = orderId;
            }
        }
        return planned;
    }

    private int watch(Map<Long, String> currencies, List<Campaign> priceDropCampaigns, List<Campaign> backInStockCampaigns) {
        List<Long> orderIds = SqlLists.padded(currencies.keySet());
        String in = SqlLists.placeholders(orderIds.size());
        final List<Line> lines = new ArrayList<Line>();
        final Set<Long> skuIds = new LinkedHashSet<Long>();
        jdbc.query("SELECT ORDER_ID, SKU_ID, MIN(UNIT_PRICE) FROM CR_CAPTURED_CART_ITEM WHERE ORDER_ID IN (" + in + ") "
                + "AND SKU_ID IS NOT NULL GROUP BY ORDER_ID, SKU_ID", new RowCallbackHandler() {
                    @Override
                    public void processRow(ResultSet rs) throws SQLException {
                        Line line = new Line(rs.getLong(1), rs.getLong(2), rs.getBigDecimal(3));
                        lines.add(line);
                        skuIds.add(line.skuId);
                    }
                }, orderIds.toArray());
        if (lines.isEmpty()) {
            return 0;
        }
        final Map<String, BigDecimal> lowestAlerted = new HashMap<String, BigDecimal>();
        if (!priceDropCampaigns.isEmpty()) {
            jdbc.query("SELECT ORDER_ID, SKU_ID, MIN(PRICE_NOW) FROM CR_TRIGGER_EVENT WHERE ORDER_ID IN (" + in + ") "
                    + "AND TRIGGER_TYPE = 'PRICE_DROP' GROUP BY ORDER_ID, SKU_ID", new RowCallbackHandler() {
                        @Override
                        public void processRow(ResultSet rs) throws SQLException {
                            lowestAlerted.put(rs.getLong(1) + ":" + rs.getLong(2), rs.getBigDecimal(3));
                        }
                    }, orderIds.toArray());
        }
        final Map<String, Timestamp> outOfStock = new HashMap<String, Timestamp>();
        if (!backInStockCampaigns.isEmpty()) {
            jdbc.query("SELECT ORDER_ID, SKU_ID, SINCE FROM CR_ITEM_OUT_OF_STOCK WHERE ORDER_ID IN (" + in + ")",
                    new RowCallbackHandler() {
                        @Override
                        public void processRow(ResultSet rs) throws SQLException {
                            outOfStock.put(rs.getLong(1) + ":" + rs.getLong(2), rs.getTimestamp(3));
                        }
                    }, orderIds.toArray());
        }
        Map<Long, CatalogPrices.SkuToday> today = catalog.today(skuIds);
        Instant now = clock.instant();
        int planned = 0;
        for (Line line : lines) {
            String key = line.orderId + ":" + line.skuId;
            CatalogPrices.SkuToday sku = today.get(line.skuId);
            if (!backInStockCampaigns.isEmpty()) {
                Timestamp since = outOfStock.get(key);
                if (sku == null && since == null) {
                    markOutOfStock(line, now);
                } else if (sku != null && since != null
                        && backInStock(line, since, sku.getPrice(), backInStockCampaigns)) {
                    planned++;
                }
            }
            if (sku != null && !priceDropCampaigns.isEmpty()) {
                BigDecimal reference = lowestAlerted.get(key);
                if (reference == null || (line.capturedPrice != null && line.capturedPrice.compareTo(reference) < 0)) {
                    reference = line.capturedPrice;
                }
                if (priceDrops.isDrop(reference, sku.getPrice(), currencies.get(line.orderId))
                        && planner.plan(TriggerType.PRICE_DROP, "PRICE_DROP:" + key + ":" + plain(sku.getPrice()),
                                line.orderId, line.skuId, line.capturedPrice, sku.getPrice(), priceDropCampaigns)
                                == TriggerPlanner.Outcome.PLANNED) {
                    planned++;
                }
            }
        }
        return planned;
    }

    /** Marks a line out of stock; another node marking it at the same moment is fine (the primary key keeps one). */
    private void markOutOfStock(Line line, Instant now) {
        try {
            jdbc.update("INSERT INTO CR_ITEM_OUT_OF_STOCK (ORDER_ID, SKU_ID, SINCE) VALUES (?, ?, ?)", line.orderId,
                    line.skuId, new Timestamp(now.toEpochMilli()));
        } catch (DuplicateKeyException alreadyMarked) {
            // marked by another node (autocommit: nothing else is spoilt)
        }
    }

    /** The alert of a marked line that is sold and in stock again; the mark goes whatever the outcome. */
    private boolean backInStock(Line line, Timestamp since, BigDecimal price, List<Campaign> enabled) {
        TriggerPlanner.Outcome outcome = planner.plan(TriggerType.BACK_IN_STOCK,
                "BACK_IN_STOCK:" + line.orderId + ":" + line.skuId + ":" + since.getTime(), line.orderId, line.skuId,
                line.capturedPrice, price, enabled);
        jdbc.update("DELETE FROM CR_ITEM_OUT_OF_STOCK WHERE ORDER_ID = ? AND SKU_ID = ? AND SINCE = ?", line.orderId,
                line.skuId, since);
        return outcome == TriggerPlanner.Outcome.PLANNED;
    }

    /** A price as the event key shows it: no trailing zeros, no exponent (19.9, not 19.90000). */
    static String plain(BigDecimal price) {
        BigDecimal stripped = price.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    /** One SKU of one cart as captured (the lowest unit price when the SKU is on several lines). */
    private static final class Line {
        final long orderId;
        final long skuId;
        final BigDecimal capturedPrice;

        Line(long orderId, long skuId, BigDecimal capturedPrice) {
            this.orderId = orderId;
            this.skuId = skuId;
            this.capturedPrice = capturedPrice;
        }
    }
}
