package io.github.cartrecovery.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.annotation.Resource;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.TestClock;

/**
 * Property: on a randomly generated history (carts, messages on several channels, repeated and out-of-order events,
 * recoveries in several currencies) rolled up incrementally in random batch sizes, with runs that die before commit,
 * in a random store time zone, every number of the report (KPIs, every day, every campaign, every step and channel,
 * every channel, with and without a campaign filter) equals a direct count of the raw rows. Seeded: a failing seed is
 * printed and replays exactly ({@code -Dcartrecovery.report.seeds=N} runs more).
 */
@BroadleafWithPlugin
class ReportMatchesRawDataIT {

    private static final String[] CURRENCIES = {"USD", "EUR", "GBP", "JPY"};
    private static final String[] CHANNELS = {"EMAIL", "EMAIL", "SMS", "WEBHOOK"};
    private static final String[] ZONES = {"UTC", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"};
    private static final String[] EVENT_TYPES = {"PLANNED", "SENT", "SENT", "FAILED", "BOUNCED", "OPENED", "OPENED",
        "CLICKED", "CLICKED", "UNSUBSCRIBED", "SKIPPED", "RETRY_SCHEDULED", "COUPON_ISSUED"};

    @Resource(name = "crReportCache")
    ReportCache cache;

    @Resource(name = "crRecoveryReports")
    RecoveryReports reports;

    @Resource(name = "crReportRollup")
    ReportRollup beanRollup;

    @Test
    void reportNumbersEqualADirectCountOfTheRawData(PluginContext broadleaf) {
        TestClock clock = broadleaf.clock();
        ReportHistory history = new ReportHistory(broadleaf);
        beanRollup.run(); // whatever earlier tests left unreported
        int seeds = Integer.getInteger("cartrecovery.report.seeds", 25);
        // time only moves forward (as for every test sharing this clock): each seed gets days nothing else uses
        for (int seed = 1; seed <= seeds; seed++) {
            clock.set(clock.instant().plus(Duration.ofDays(6)).truncatedTo(ChronoUnit.DAYS));
            try {
                checkSeed(seed, clock, history);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("report differs from the raw data for seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private void checkSeed(int seed, TestClock clock, ReportHistory history) {
        Random random = new Random(seed);
        ZoneId zone = ZoneId.of(ZONES[random.nextInt(ZONES.length)]);
        Instant periodStart = clock.instant();
        long[] campaigns = {-8000L - seed * 10, -8001L - seed * 10, -8002L - seed * 10};
        List<Long> carts = new ArrayList<>();
        List<Long> abandoned = new ArrayList<>();
        List<long[]> messages = new ArrayList<>(); // {id, campaign, step}
        int waves = 1 + random.nextInt(4);
        for (int wave = 0; wave < waves; wave++) {
            clock.advance(Duration.ofHours(12 + random.nextInt(36)));
            Instant now = clock.instant();
            for (int i = random.nextInt(7); i > 0; i--) {
                Instant at = now.minusSeconds(random.nextInt(24 * 3600));
                String currency = random.nextInt(8) == 0 ? null : CURRENCIES[random.nextInt(CURRENCIES.length)];
                if (random.nextInt(4) == 0) {
                    carts.add(history.idleCartWithoutEmail(currency, at));
                } else {
                    long cart = history.abandonedCart(currency, at);
                    carts.add(cart);
                    abandoned.add(cart);
                    long campaign = campaigns[random.nextInt(campaigns.length)];
                    for (int step = 1; step <= 1 + random.nextInt(3); step++) {
                        messages.add(new long[] {history.sentMessage(cart, campaign, step,
                                CHANNELS[random.nextInt(CHANNELS.length)], at), campaign, step});
                    }
                }
            }
            for (int i = messages.isEmpty() ? 0 : random.nextInt(25); i > 0; i--) {
                long[] message = messages.get(random.nextInt(messages.size()));
                history.event(message[0], EVENT_TYPES[random.nextInt(EVENT_TYPES.length)], between(random, periodStart, now));
            }
            for (int i = abandoned.isEmpty() ? 0 : random.nextInt(3); i > 0; i--) {
                long[] message = messages.get(random.nextInt(messages.size()));
                String outcome = random.nextInt(3) == 0 ? "INFLUENCED" : random.nextInt(5) == 0 ? "NONE" : "RECOVERED";
                String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
                BigDecimal amount = BigDecimal.valueOf(random.nextInt(100_000), 2);
                history.attribution(ReportHistory.nextOrderId(), outcome, message[0], message[1], (int) message[2], currency,
                        amount, between(random, periodStart, now));
            }
            int batchSize = 1 + random.nextInt(12);
            if (random.nextBoolean()) {
                int dieAt = 1 + random.nextInt(3);
                int[] batches = {0};
                ReportRollup dying = new ReportRollup(history.dataSource, history.transactions, clock, zone.getId(), 720,
                        batchSize, cache) {
                    @Override
                    protected void beforeCommit(Source source) {
                        if (++batches[0] == dieAt) {
                            throw new IllegalStateException("died");
                        }
                    }
                };
                try {
                    dying.run();
                } catch (IllegalStateException expected) {
                    // the batch in flight rolled back; the next run counts it
                }
            }
            if (random.nextInt(3) > 0) {
                new ReportRollup(history.dataSource, history.transactions, clock, zone.getId(), 720, batchSize, cache).run();
            }
        }
        new ReportRollup(history.dataSource, history.transactions, clock, zone.getId(), 720, 50, cache).run();

        Expected expected = countRawData(history, zone, carts, campaigns);
        LocalDate from = periodStart.atZone(zone).toLocalDate().minusDays(1);
        LocalDate to = clock.instant().atZone(zone).toLocalDate().plusDays(1);

        RecoveryReport report = reports.query(from, to, null);
        assertThat(describe(report.getKpis())).as("kpis").isEqualTo(describe(expected.total()));
        for (RecoveryReport.Day day : report.getDays()) {
            assertThat(describe(day.getTotals())).as("day " + day.getDate()).isEqualTo(describe(expected.day(day.getDate())));
        }
        assertThat(report.getDays()).hasSize((int) ChronoUnit.DAYS.between(from, to) + 1);
        assertThat(report.getCampaigns().stream().map(c -> c.getCampaignId() + "=" + describe(c.getTotals()))
                .collect(Collectors.toList()))
                .as("campaign funnel").isEqualTo(expected.campaignRows(campaigns));
        assertThat(report.getSteps().stream().map(s -> s.getCampaignId() + "/" + s.getStepNo() + "/" + s.getChannel() + "="
                + describe(s.getTotals())).collect(Collectors.toList()))
                .as("step funnel").isEqualTo(expected.stepRows());
        assertThat(report.getChannels().stream().map(c -> c.getChannel() + "=" + describe(c.getTotals()))
                .collect(Collectors.toList()))
                .as("channels").isEqualTo(expected.channelRows());

        long filter = campaigns[random.nextInt(campaigns.length)];
        RecoveryReport filtered = reports.query(from, to, filter);
        assertThat(describe(filtered.getKpis())).as("kpis of campaign " + filter).isEqualTo(describe(expected.campaign(filter)));
    }

    private static Expected countRawData(ReportHistory history, ZoneId zone, List<Long> carts, long[] campaigns) {
        Expected expected = new Expected(zone);
        String campaignList = "(" + campaigns[0] + ", " + campaigns[1] + ", " + campaigns[2] + ")";
        Set<String> firsts = new HashSet<>();
        for (Map<String, Object> row : history.jdbc.queryForList("SELECT e.ID, e.PLANNED_MESSAGE_ID, e.EVENT_TYPE,"
                + " e.OCCURRED_AT, m.CAMPAIGN_ID, m.STEP_NO, m.CHANNEL, c.CURRENCY_CODE FROM CR_MESSAGE_EVENT e"
                + " JOIN CR_PLANNED_MESSAGE m ON m.ID = e.PLANNED_MESSAGE_ID JOIN CR_CAPTURED_CART c ON c.ORDER_ID = m.ORDER_ID"
                + " WHERE m.CAMPAIGN_ID IN " + campaignList + " ORDER BY e.ID")) {
            String type = (String) row.get("EVENT_TYPE");
            int counter = indexOf(type);
            boolean unique = type.equals("OPENED") || type.equals("CLICKED") || type.equals("UNSUBSCRIBED");
            if (counter < 0 || (unique && !firsts.add(row.get("PLANNED_MESSAGE_ID") + type))) {
                continue;
            }
            expected.add((Timestamp) row.get("OCCURRED_AT"), number(row.get("CAMPAIGN_ID")), (int) number(row.get("STEP_NO")),
                    (String) row.get("CHANNEL"), counter, null, null);
        }
        for (Map<String, Object> row : history.jdbc.queryForList("SELECT a.OUTCOME, a.CAMPAIGN_ID, a.STEP_NO, m.CHANNEL,"
                + " a.CURRENCY_CODE, a.AMOUNT, a.PURCHASED_AT FROM CR_ORDER_ATTRIBUTION a JOIN CR_PLANNED_MESSAGE m"
                + " ON m.ID = a.PLANNED_MESSAGE_ID WHERE a.OUTCOME <> 'NONE' AND a.CAMPAIGN_ID IN " + campaignList)) {
            boolean recovered = "RECOVERED".equals(row.get("OUTCOME"));
            expected.add((Timestamp) row.get("PURCHASED_AT"), number(row.get("CAMPAIGN_ID")), (int) number(row.get("STEP_NO")),
                    (String) row.get("CHANNEL"), recovered ? ReportRollup.RECOVERED : ReportRollup.INFLUENCED,
                    (String) row.get("CURRENCY_CODE"), (BigDecimal) row.get("AMOUNT"));
        }
        if (!carts.isEmpty()) {
            String cartList = carts.stream().map(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
            for (Map<String, Object> row : history.jdbc.queryForList("SELECT ABANDONED_AT, STATUS_CHANGED_AT FROM"
                    + " CR_CAPTURED_CART WHERE ORDER_ID IN " + cartList)) {
                Timestamp abandonedAt = (Timestamp) row.get("ABANDONED_AT");
                Timestamp at = abandonedAt != null ? abandonedAt : (Timestamp) row.get("STATUS_CHANGED_AT");
                expected.add(at, 0, 0, ReportRollup.NO_CHANNEL, ReportRollup.ABANDONED_CARTS, null, null);
                if (abandonedAt != null) {
                    expected.add(at, 0, 0, ReportRollup.NO_CHANNEL, ReportRollup.CARTS_WITH_EMAIL, null, null);
                }
            }
        }
        return expected;
    }

    private static int indexOf(String eventType) {
        switch (eventType) {
            case "PLANNED": return ReportRollup.PLANNED;
            case "SENT": return ReportRollup.SENT;
            case "SKIPPED": return ReportRollup.SKIPPED;
            case "FAILED": return ReportRollup.FAILED;
            case "BOUNCED": return ReportRollup.BOUNCED;
            case "OPENED": return ReportRollup.OPENED;
            case "CLICKED": return ReportRollup.CLICKED;
            case "UNSUBSCRIBED": return ReportRollup.UNSUBSCRIBED;
            default: return -1;
        }
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    private static Instant between(Random random, Instant from, Instant to) {
        long seconds = Duration.between(from, to).getSeconds();
        return from.plusSeconds(seconds <= 0 ? 0 : (long) (random.nextDouble() * seconds));
    }

    /** The numbers of one slice in one comparable line (revenue amounts without trailing zeros). */
    static String describe(ReportTotals totals) {
        long[] counts = {totals.getAbandonedCarts(), totals.getCartsWithEmail(), totals.getPlanned(), totals.getSent(),
            totals.getFailed(), totals.getBounced(), totals.getOpened(), totals.getClicked(), totals.getUnsubscribed(),
            totals.getRecoveredCarts(), totals.getInfluencedOrders(), totals.getSkipped(), totals.getBrowseOrders(),
            totals.getRepeatOrders()};
        return describe(counts, totals.getRecoveredRevenue(), totals.getInfluencedRevenue());
    }

    static String describe(long[] counts, Map<String, BigDecimal> recovered, Map<String, BigDecimal> influenced) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            text.append(ReportRollup.COUNTERS[i]).append('=').append(counts[i]).append(' ');
        }
        return text.append("recovered=").append(amounts(recovered)).append(" influenced=").append(amounts(influenced)).toString();
    }

    private static String amounts(Map<String, BigDecimal> revenue) {
        SortedMap<String, String> text = new TreeMap<>();
        revenue.forEach((currency, amount) -> {
            if (amount.signum() != 0) {
                text.put(currency, amount.stripTrailingZeros().toPlainString());
            }
        });
        return text.toString();
    }

    /** Counts of the raw rows, by day, campaign, step and channel. */
    private static final class Expected {
        final ZoneId zone;
        final List<Object[]> rows = new ArrayList<>(); // {day, campaign, step, counter, currency, amount, channel}

        Expected(ZoneId zone) {
            this.zone = zone;
        }

        void add(Timestamp at, long campaign, int step, String channel, int counter, String currency, BigDecimal amount) {
            rows.add(new Object[] {at.toInstant().atZone(zone).toLocalDate(), campaign, step, counter,
                currency == null ? ReportRollup.NO_CURRENCY : currency, amount, channel});
        }

        List<String> channelRows() {
            SortedMap<String, Boolean> channels = new TreeMap<>();
            for (Object[] row : rows) {
                if ((long) row[1] != 0L) {
                    channels.put((String) row[6], true);
                }
            }
            List<String> result = new ArrayList<>();
            channels.keySet().forEach(channel -> result.add(channel + "="
                    + describe(slice(row -> (long) row[1] != 0L && row[6].equals(channel)))));
            return result;
        }

        Slice total() {
            return slice(row -> true);
        }

        Slice day(LocalDate day) {
            return slice(row -> row[0].equals(day));
        }

        Slice campaign(long campaign) {
            return slice(row -> (long) row[1] == campaign || (long) row[1] == 0L);
        }

        List<String> campaignRows(long[] campaigns) {
            List<String> result = new ArrayList<>();
            long[] sorted = campaigns.clone();
            java.util.Arrays.sort(sorted);
            for (long campaign : sorted) {
                if (rows.stream().anyMatch(row -> (long) row[1] == campaign)) {
                    result.add(campaign + "=" + describe(slice(row -> (long) row[1] == campaign)));
                }
            }
            return result;
        }

        List<String> stepRows() {
            SortedMap<Long, SortedMap<Integer, SortedMap<String, Boolean>>> keys = new TreeMap<>();
            for (Object[] row : rows) {
                if ((long) row[1] != 0L) {
                    keys.computeIfAbsent((Long) row[1], k -> new TreeMap<>()).computeIfAbsent((Integer) row[2], k -> new TreeMap<>())
                            .put((String) row[6], true);
                }
            }
            List<String> result = new ArrayList<>();
            keys.forEach((campaign, steps) -> steps.forEach((step, channels) -> channels.keySet().forEach(channel ->
                    result.add(campaign + "/" + step + "/" + channel + "=" + describe(slice(row -> (long) row[1] == campaign
                            && (int) row[2] == step && row[6].equals(channel)))))));
            return result;
        }

        private Slice slice(java.util.function.Predicate<Object[]> filter) {
            Slice slice = new Slice();
            for (Object[] row : rows) {
                if (filter.test(row)) {
                    slice.counts[(int) row[3]]++;
                    if (row[5] != null) {
                        Map<String, BigDecimal> revenue = (int) row[3] == ReportRollup.RECOVERED ? slice.recovered : slice.influenced;
                        revenue.merge((String) row[4], (BigDecimal) row[5], BigDecimal::add);
                    }
                }
            }
            return slice;
        }

        static String describe(Slice slice) {
            return ReportMatchesRawDataIT.describe(slice.counts, slice.recovered, slice.influenced);
        }
    }

    private static final class Slice {
        final long[] counts = new long[ReportRollup.COUNTERS.length];
        final Map<String, BigDecimal> recovered = new TreeMap<>();
        final Map<String, BigDecimal> influenced = new TreeMap<>();
    }

    private static String describe(Slice slice) {
        return describe(slice.counts, slice.recovered, slice.influenced);
    }
}
