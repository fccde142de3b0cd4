package io.github.cartrecovery.demo.reliability;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.cartrecovery.channel.Recipient;
import io.github.cartrecovery.demo.reliability.ReliabilityReport.Row;
import io.github.cartrecovery.demo.reliability.ShopDatabase.Contact;
import io.github.cartrecovery.demo.reliability.ShopDatabase.Planned;
import io.github.cartrecovery.keys.SigningKeys;
import io.github.cartrecovery.links.LinkPurpose;
import io.github.cartrecovery.links.LinkTokens;
import io.github.cartrecovery.messages.PlannedMessages;
import io.github.cartrecovery.sms.TwilioSignature;

/**
 * Scenario 8 (issue 16): a campaign of EMAIL, then SMS, then WEBHOOK steps, delivered by the cluster while the SMS
 * provider ({@link SmsProviderSink}) goes through a 5xx storm, a 429 storm and an outage, the webhook receiver
 * ({@link WebhookSink}) answers too slowly and then goes down and comes back, and the node holding claims is killed
 * with SIGKILL once. Meanwhile shoppers buy, text STOP (a signed inbound webhook to a node) and unsubscribe from email
 * (the one-click POST to a node). Judged per channel against CR_PLANNED_MESSAGE and the three fakes' logs; one report
 * row per channel.
 * <p>
 * The carts ({@code id % 20}): 1 no SMS consent, 2 SMS consent denied, 3 number on the SMS opt-out list before the run,
 * 4 no phone: no text, ever, but email and webhook; 5 and 15 bought mid-run: nothing after the purchase; 6 and 16 STOP
 * mid-run: no text after it, email and webhook go on; 7 and 17 email unsubscribe mid-run: no email nor webhook after it,
 * texts go on (a separate consent); the rest: everything.
 */
final class ChannelFaults {

    static final String LOCALE = "en_GB";
    static final String[] CHANNELS = {"EMAIL", "SMS", "WEBHOOK"};
    static final int[] STEP_DELAYS_MINUTES = {60, 1, 1};
    static final String[] TEMPLATES = {"gentle-reminder", "cart-reminder", "value-reminder"};
    private static final long FIRST = 8_000_000;
    /** First messages fall due over this many seconds; each later step a minute after the one before. */
    private static final int SPREAD_SECONDS = 120;
    /** A message handed over just before a purchase, STOP or unsubscribe committed may arrive this much later. */
    private static final Duration STOP_TOLERANCE = Duration.ofSeconds(2);
    private static final int SLOW_WEBHOOK_MILLIS = 5000;
    /** Just after the SMS provider is back: the node delivering is most likely working off texts. */
    private static final int KILL_AT_SECOND = 185;
    static final int WEBHOOK_READ_TIMEOUT_MILLIS = 3000;
    private static final String SMS_FROM = "+15005550006";

    enum Kind { NORMAL, NO_CONSENT, CONSENT_DENIED, OPTED_OUT, NO_PHONE, BOUGHT, STOPPED, UNSUBSCRIBED }

    private final ShopDatabase database;
    private final Cluster cluster;
    private final ReliabilityReport report;
    private final LinkTokens tokens;
    private final int carts;
    /** Messages a killed node may leave UNCONFIRMED per channel: senders x hand-over window. */
    private final int window;
    /** The nodes' senders per channel: each may have one text on the wire when the provider stops. */
    private final int senders;
    private final int outageSeconds;
    private final Random random = new Random(16);
    private final List<String> timeline = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private Instant start;

    ChannelFaults(ShopDatabase database, Cluster cluster, ReliabilityReport report, String signingKey, int carts,
                  int senders, int crashBound, int outageSeconds) {
        this.database = database;
        this.cluster = cluster;
        this.report = report;
        this.tokens = new LinkTokens(SigningKeys.parse(signingKey));
        this.carts = carts;
        this.window = crashBound;
        this.senders = senders;
        this.outageSeconds = outageSeconds;
    }

    static Kind kindOf(long orderId) {
        switch ((int) (orderId % 20)) {
            case 1: return Kind.NO_CONSENT;
            case 2: return Kind.CONSENT_DENIED;
            case 3: return Kind.OPTED_OUT;
            case 4: return Kind.NO_PHONE;
            case 5: case 15: return Kind.BOUGHT;
            case 6: case 16: return Kind.STOPPED;
            case 7: case 17: return Kind.UNSUBSCRIBED;
            default: return Kind.NORMAL;
        }
    }

    static String phone(long orderId) {
        return String.format(Locale.ROOT, "+4474%08d", orderId % 100_000_000);
    }

    private static Contact contact(long orderId) {
        Kind kind = kindOf(orderId);
        return new Contact(LOCALE, kind == Kind.NO_PHONE ? null : phone(orderId),
                kind == Kind.NO_CONSENT ? "UNKNOWN" : kind == Kind.CONSENT_DENIED ? "DENIED" : "GRANTED");
    }

    // ================================================================== the run

    void run() throws Exception {
        long first = FIRST, last = FIRST + carts - 1;
        long begin = System.nanoTime(); // the SMS provider and webhook receiver run since the suite started
        for (long id = first; id <= last; id++) {
            if (kindOf(id) == Kind.OPTED_OUT) {
                database.smsOptOut(phone(id));
            }
        }
        start = Instant.now();
        database.insertAbandonedCarts(first, carts, id -> start.minus(Duration.ofMinutes(STEP_DELAYS_MINUTES[0]))
                .plusMillis(random.nextInt(SPREAD_SECONDS * 1000)), ChannelFaults::contact);
        report.timing("scenario 8: " + carts + " carts written", seconds(begin));

        // shoppers: purchases, STOP texts and email unsubscribes at random instants, one after the other
        Map<Long, Instant> bought = new ConcurrentHashMap<>();
        Map<Long, Instant> stopped = new ConcurrentHashMap<>();
        Map<Long, Instant> unsubscribed = new ConcurrentHashMap<>();
        List<Action> actions = new ArrayList<>();
        for (long id = first; id <= last; id++) {
            Kind kind = kindOf(id);
            if (kind == Kind.BOUGHT) {
                actions.add(new Action(id, kind, at(random.nextInt(200_000))));
            } else if (kind == Kind.STOPPED) {
                actions.add(new Action(id, kind, at(40_000 + random.nextInt(150_000))));
            } else if (kind == Kind.UNSUBSCRIBED) {
                actions.add(new Action(id, kind, at(5_000 + random.nextInt(195_000))));
            }
        }
        actions.sort(Comparator.comparing(Action::at));
        Thread shoppers = daemon("reliability-shoppers", () -> shop(actions, bought, stopped, unsubscribed));

        // the faults: the SMS provider's storms and outage, the webhook receiver slow and down, a node killed
        Map<String, Kill> kills = new ConcurrentHashMap<>();
        Thread killer = daemon("reliability-killer", () -> {
            sleepUntil(at(KILL_AT_SECOND * 1000L));
            Kill kill = killHolder(first, last);
            if (kill != null) {
                kills.put(kill.victim, kill);
            }
        });
        List<Fault> faults = new ArrayList<>();
        faults.add(new Fault(70, "SMS provider: 5xx storm", () -> SmsProviderSink.switchMode(cluster.smsPort, "5xx", 0)));
        faults.add(new Fault(90, "SMS provider: healthy", () -> SmsProviderSink.switchMode(cluster.smsPort, "healthy", 0)));
        faults.add(new Fault(95, "SMS provider: 429 storm, Retry-After 10 s", () -> SmsProviderSink.switchMode(cluster.smsPort, "429", 10)));
        faults.add(new Fault(115, "SMS provider: healthy", () -> SmsProviderSink.switchMode(cluster.smsPort, "healthy", 0)));
        faults.add(new Fault(120, "SMS provider: down (stopped, connection refused)", cluster::stopSmsProvider));
        faults.add(new Fault(130, "webhook receiver: slow (" + SLOW_WEBHOOK_MILLIS + " ms, read timeout " + WEBHOOK_READ_TIMEOUT_MILLIS + " ms)",
                () -> WebhookSink.switchMode(cluster.webhookPort, "slow", SLOW_WEBHOOK_MILLIS)));
        faults.add(new Fault(150, "webhook receiver: healthy", () -> WebhookSink.switchMode(cluster.webhookPort, "healthy", 0)));
        faults.add(new Fault(160, "webhook receiver: down (stopped)", cluster::stopWebhookSink));
        faults.add(new Fault(120 + outageSeconds, "SMS provider: up again", cluster::startSmsProvider));
        faults.add(new Fault(Math.max(200, 130 + outageSeconds), "webhook receiver: up again", cluster::startWebhookSink));
        faults.sort(Comparator.comparingInt(Fault::atSecond));
        for (Fault fault : faults) {
            fault(fault.atSecond(), fault.what(), fault.action());
        }
        shoppers.join(300_000);
        killer.join(400_000);

        Instant settled = awaitSettled(first, last, at(250_000), Duration.ofSeconds(600));
        List<Planned> rows = database.planned(first, last);
        Kill kill = kills.values().stream().findFirst().orElse(null);
        if (kill == null) {
            problems.add("no node was killed (none held claims of scenario 8's messages)");
        }
        if (actions.size() != bought.size() + stopped.size() + unsubscribed.size()) {
            problems.add((actions.size() - bought.size() - stopped.size() - unsubscribed.size())
                    + " shopper actions did not happen");
        }
        double total = seconds(begin);
        Rules rules = new Rules(bought, stopped, unsubscribed);
        Map<Long, Planned> byId = rows.stream().collect(Collectors.toMap(Planned::id, p -> p));

        // EMAIL: the SMTP sink's log, by Message-ID
        List<Receipt> mail = Mailbox.read(cluster.mailLog).stream().filter(r -> byId.containsKey(r.plannedId()))
                .map(r -> new Receipt(r.plannedId(), r.receivedAtMillis())).collect(Collectors.toList());
        report.add(judge("EMAIL", rows, mail, rules, kill, 0, settled,
                "email: received by the SMTP sink (by Message-ID); STOP texts must not stop email, unsubscribes must"));

        // SMS: what the provider accepted (2xx), by the StatusCallback's m= (the planned message id)
        List<SmsProviderSink.Answer> answers = SmsProviderSink.read(cluster.smsLog).stream()
                .filter(a -> byId.containsKey(a.plannedId())).collect(Collectors.toList());
        List<Receipt> texts = answers.stream().filter(SmsProviderSink.Answer::accepted)
                .map(a -> new Receipt(a.plannedId(), a.atMillis())).collect(Collectors.toList());
        long wrongNumber = answers.stream().filter(SmsProviderSink.Answer::accepted)
                .filter(a -> !a.to().equals(phone(byId.get(a.plannedId()).orderId()))).count();
        Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(SmsProviderSink.Answer::status,
                TreeMap::new, Collectors.counting()));
        if (wrongNumber > 0) {
            problems.add(wrongNumber + " texts went to another cart's number");
        }
        report.add(judge("SMS", rows, texts, rules, kill, senders, settled,
                "texts: accepted (201) by the provider, by the StatusCallback's m=; provider answers by status " + byStatus
                        + " (5xx and 429 storms, then down " + outageSeconds + " s); email unsubscribes must NOT stop texts "
                        + "(separate consent); allowed beside the kill: " + senders + " UNCONFIRMED with no answer after the "
                        + "request was written (the text on the wire of each sender when the provider stopped)"));

        // WEBHOOK: documents the receiver processed (first request of a key); repeats of a key it folded
        List<WebhookSink.Request> posts = WebhookSink.read(cluster.webhookLog).stream()
                .filter(r -> byId.containsKey(r.messageId())).collect(Collectors.toList());
        List<Receipt> documents = posts.stream().filter(r -> r.signatureValid() && !r.repeat())
                .map(r -> new Receipt(r.messageId(), r.atMillis())).collect(Collectors.toList());
        Map<Long, Set<String>> keysById = new HashMap<>();
        Map<String, List<WebhookSink.Request>> byKey = new LinkedHashMap<>();
        for (WebhookSink.Request post : posts) {
            keysById.computeIfAbsent(post.messageId(), k -> new java.util.HashSet<>()).add(post.key());
            byKey.computeIfAbsent(post.key(), k -> new ArrayList<>()).add(post);
        }
        long twoKeys = keysById.values().stream().filter(keys -> keys.size() > 1).count();
        long repeats = posts.stream().filter(WebhookSink.Request::repeat).count();
        long repeatsAfterPromptAcceptance = 0;
        for (List<WebhookSink.Request> requests : byKey.values()) {
            for (int i = 1; i < requests.size(); i++) {
                if (requests.subList(0, i).stream().anyMatch(WebhookSink.Request::acceptedPromptly)) {
                    repeatsAfterPromptAcceptance++;
                }
            }
        }
        long invalid = posts.stream().filter(r -> !r.signatureValid()).count();
        if (invalid > 0) {
            problems.add(invalid + " webhook requests with an invalid signature");
        }
        Row webhookRow = judge("WEBHOOK", rows, documents, rules, kill, 0, settled, String.format(Locale.ROOT,
                "webhooks: documents the receiver processed (the first request of each Idempotency-Key, signature valid); "
                        + "%d requests, %d of them repeats of a key already processed (folded by the key: allowed after a "
                        + "timeout or a lost answer); counted as duplicates: %d messages processed under two keys (a receiver "
                        + "cannot fold those) + %d repeats of a key the receiver had already answered 2xx promptly (the node "
                        + "knew it was accepted); %d invalid signatures", posts.size(), repeats, twoKeys,
                repeatsAfterPromptAcceptance, invalid));
        report.add(withDuplicates(webhookRow, twoKeys + repeatsAfterPromptAcceptance));
        report.timing("scenario 8 (" + String.join("; ", timeline) + ")", total);
    }

    // ================================================================== judging

    /** A message that reached the fake of its channel, and when. */
    record Receipt(long plannedId, long atMillis) {
    }

    /** What each cart's shopper did, and when it committed. */
    private record Rules(Map<Long, Instant> bought, Map<Long, Instant> stopped, Map<Long, Instant> unsubscribed) {

        /** When this channel's messages to the cart had to stop, or null: a message arriving later is a violation. */
        Instant stopAt(String channel, long orderId) {
            if (bought.containsKey(orderId)) {
                return bought.get(orderId);
            }
            if (channel.equals("SMS")) {
                return stopped.get(orderId);
            }
            return unsubscribed.get(orderId);
        }

        /** The channel must never reach this cart at all. */
        boolean never(String channel, long orderId) {
            Kind kind = kindOf(orderId);
            return channel.equals("SMS") && (kind == Kind.NO_CONSENT || kind == Kind.CONSENT_DENIED
                    || kind == Kind.OPTED_OUT || kind == Kind.NO_PHONE);
        }

        /** The outcome a message the channel must never send has to be SKIPPED with. */
        String skipReason(long orderId) {
            switch (kindOf(orderId)) {
                case NO_CONSENT: case CONSENT_DENIED: return Recipient.NO_CONSENT;
                case OPTED_OUT: return Recipient.OPTED_OUT;
                case NO_PHONE: return Recipient.NO_ADDRESS;
                default: return null;
            }
        }

        /** The message must arrive (once): nothing stopped it. */
        boolean expected(String channel, long orderId) {
            return !never(channel, orderId) && stopAt(channel, orderId) == null;
        }
    }

    private Row judge(String channel, List<Planned> allRows, List<Receipt> receipts, Rules rules, Kill kill,
                      int allowedUnknown, Instant settled, String what) {
        List<Planned> rows = allRows.stream().filter(p -> p.channel().equals(channel)).collect(Collectors.toList());
        Map<Long, Planned> byId = rows.stream().collect(Collectors.toMap(Planned::id, p -> p));
        Map<Long, Integer> perId = new HashMap<>();
        Map<Long, Long> firstAt = new HashMap<>();
        Map<String, Integer> perStep = new HashMap<>();
        long afterPurchase = 0, afterStop = 0, never = 0, late = 0;
        for (Receipt receipt : receipts) {
            Planned row = byId.get(receipt.plannedId());
            if (row == null) {
                continue; // another channel's message id
            }
            perId.merge(row.id(), 1, Integer::sum);
            perStep.merge(row.orderId() + "/" + row.stepNo(), 1, Integer::sum);
            firstAt.merge(row.id(), receipt.atMillis(), Math::min);
            Instant at = Instant.ofEpochMilli(receipt.atMillis());
            Instant stop = rules.stopAt(channel, row.orderId());
            if (stop != null && at.isAfter(stop.plus(STOP_TOLERANCE))) {
                if (rules.bought().containsKey(row.orderId())) {
                    afterPurchase++;
                } else {
                    afterStop++;
                }
            }
            if (rules.never(channel, row.orderId())) {
                never++;
            }
            Instant dueOrStart = row.dueAt().isAfter(start) ? row.dueAt() : start;
            if (Duration.between(dueOrStart, at).compareTo(Duration.ofSeconds(420)) > 0) {
                late++;
            }
        }
        long repeatedIds = perId.values().stream().mapToLong(n -> n - 1).sum();
        long duplicates = repeatedIds + Math.max(0, perStep.values().stream().mapToLong(n -> n - 1).sum() - repeatedIds);
        long expected = 0, lost = 0, lostUnconfirmed = 0, open = 0, wrongReason = 0, noReason = 0;
        Map<String, Long> lostBy = new TreeMap<>();
        Map<String, Long> statuses = new TreeMap<>();
        long unconfirmedByKill = 0, unconfirmedOther = 0;
        for (Planned row : rows) {
            String state = row.status() + (row.outcome() == null ? "" : "/" + row.outcome());
            statuses.merge(state, 1L, Long::sum);
            if (row.open()) {
                open++;
            }
            if ((row.status().equals("SKIPPED") || row.status().equals("FAILED") || row.status().equals("UNCONFIRMED"))
                    && row.outcome() == null) {
                noReason++;
            }
            if (rules.never(channel, row.orderId()) && !(row.status().equals("SKIPPED")
                    && rules.skipReason(row.orderId()).equals(row.outcome()))) {
                wrongReason++;
            }
            if (row.status().equals("UNCONFIRMED")) {
                if (kill != null && kill.victim.equals(row.claimedBy())
                        && PlannedMessages.LEASE_EXPIRED_WHILE_SENDING.equals(row.outcome())) {
                    unconfirmedByKill++;
                } else {
                    unconfirmedOther++;
                }
            }
            if (rules.expected(channel, row.orderId())) {
                expected++;
                if (!perId.containsKey(row.id())) {
                    lost++;
                    lostBy.merge(state, 1L, Long::sum);
                    if (row.status().equals("UNCONFIRMED")) {
                        lostUnconfirmed++;
                    }
                }
            }
        }
        // per kind of cart: messages that reached the fake / rows
        Map<Kind, long[]> byKind = new TreeMap<>();
        for (Planned row : rows) {
            long[] counts = byKind.computeIfAbsent(kindOf(row.orderId()), k -> new long[2]);
            counts[1]++;
            if (perId.containsKey(row.id())) {
                counts[0]++;
            }
        }
        String kinds = byKind.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()[0] + "/" + e.getValue()[1])
                .collect(Collectors.joining(", "));
        boolean passed = problems.isEmpty() && duplicates == 0 && afterPurchase == 0 && afterStop == 0 && never == 0
                && lost == lostUnconfirmed && unconfirmedByKill <= window && unconfirmedOther <= allowedUnknown
                && open == 0 && wrongReason == 0 && noReason == 0 && !rows.isEmpty();
        String faults = "SMS provider 5xx storm (20 s), 429 storm (20 s), down " + outageSeconds + " s; webhook receiver slow "
                + "(20 s), down (" + (Math.max(200, 130 + outageSeconds) - 160) + " s); kill -9 of "
                + (kill == null ? "no node" : "node " + kill.victim);
        String notes = String.format(Locale.ROOT, "%s; %d carts: bought %d, texted STOP %d, unsubscribed from email %d "
                        + "(mid-run; nothing of the channel %d s after it committed), texts never allowed to %d carts (no "
                        + "consent, denied, opted out before, no phone): sent to them %d, skipped with another reason %d; "
                        + "sent after STOP (SMS) or unsubscribe (email, webhook) counted as 'to suppressed'; expected = "
                        + "messages nothing stopped; UNCONFIRMED: %d from the killed node (allowed: senders x hand-over window, %d), "
                        + "%d other (allowed %d); open rows %d, ended without a reason %d; lost by status %s; rows by status %s; "
                        + "arrived/rows by kind of cart: %s%s%s",
                what, carts, rules.bought().size(), rules.stopped().size(), rules.unsubscribed().size(),
                STOP_TOLERANCE.toSeconds(), carts / 20 * 4, never, wrongReason, unconfirmedByKill, window,
                unconfirmedOther, allowedUnknown, open, noReason, lostBy, statuses, kinds,
                kill == null ? "" : "; " + kill.describe(channel),
                problems.isEmpty() ? "" : "; PROBLEMS: " + String.join("; ", problems));
        return new Row("8. " + channel + " under channel faults", faults, expected, perId.size(), duplicates, lost,
                lostUnconfirmed, late, afterPurchase, afterStop + never, Duration.between(start, settled).toMillis() / 1000.0,
                passed, notes);
    }

    private static Row withDuplicates(Row row, long more) {
        long duplicates = row.duplicates() + more;
        return new Row(row.scenario(), row.fault(), row.expected(), row.sent(), duplicates, row.lost(), row.lostUnconfirmed(),
                row.late(), row.afterPurchase(), row.toSuppressed(), row.seconds(), row.passed() && duplicates == 0, row.notes());
    }

    // ================================================================== shoppers

    private record Action(long orderId, Kind kind, Instant at) {
    }

    /** Each action at its instant, through a node where the shopper would act (STOP and unsubscribe). */
    private void shop(List<Action> actions, Map<Long, Instant> bought, Map<Long, Instant> stopped,
                      Map<Long, Instant> unsubscribed) {
        try (Connection db = database.connect()) {
            for (Action action : actions) {
                sleepUntil(action.at());
                try {
                    switch (action.kind()) {
                        case BOUGHT:
                            bought.put(action.orderId(), database.purchase(db, action.orderId()));
                            break;
                        case STOPPED:
                            stopped.put(action.orderId(), throughANode(node -> textStop(node, phone(action.orderId()))));
                            break;
                        case UNSUBSCRIBED:
                            unsubscribed.put(action.orderId(), throughANode(node -> unsubscribe(node, action.orderId())));
                            break;
                        default:
                            break;
                    }
                } catch (RuntimeException | SQLException e) {
                    problems.add(action.kind() + " of cart " + action.orderId() + " failed: " + e);
                }
            }
        } catch (SQLException e) {
            problems.add("shoppers stopped: " + e);
        }
    }

    /** Runs the request against a live node; another one when that node is being killed. Returns when it committed. */
    private Instant throughANode(Function<String, Boolean> request) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            List<String> names = cluster.nodeNames();
            String name = names.get((attempt + random.nextInt(names.size())) % names.size());
            try {
                if (cluster.alive(name) && request.apply(cluster.baseUrlOf(name))) {
                    return Instant.now();
                }
            } catch (RuntimeException e) {
                last = e;
            }
            Cluster.sleep(500);
        }
        throw new IllegalStateException("no node took the request", last);
    }

    /** The shopper's reply STOP, as the provider posts it to the store: a signed inbound message webhook. */
    private boolean textStop(String nodeUrl, String phone) {
        String url = nodeUrl + "/cart-recovery/sms/inbound";
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", cluster.smsAccountSid);
        form.put("MessageSid", "SM" + Long.toHexString(random.nextLong()));
        form.put("From", phone);
        form.put("To", SMS_FROM);
        form.put("Body", "STOP");
        Map<String, List<String>> signed = new LinkedHashMap<>();
        form.forEach((name, value) -> signed.put(name, List.of(value)));
        String signature = new TwilioSignature(cluster.smsAuthToken).sign(url, signed);
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        Http.Answer answer = Http.post(URI.create(url), Map.of(TwilioSignature.HEADER, signature), body,
                "application/x-www-form-urlencoded");
        if (answer.status() != 200) {
            throw new IllegalStateException("STOP answered " + answer.status() + ": " + answer.body());
        }
        return true;
    }

    /** The one-click unsubscribe (RFC 8058) with the link of the cart's email. */
    private boolean unsubscribe(String nodeUrl, long orderId) {
        Long message = null;
        for (int wait = 0; wait < 60 && message == null; wait++) { // the planner may not have reached the cart yet
            try {
                message = database.planned(orderId, orderId).stream().filter(p -> p.channel().equals("EMAIL"))
                        .map(Planned::id).findFirst().orElse(null);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            if (message == null) {
                Cluster.sleep(500);
            }
        }
        if (message == null) {
            throw new IllegalStateException("cart " + orderId + " was never planned");
        }
        String token = tokens.issue(LinkPurpose.UNSUBSCRIBE, message, Instant.now().plus(Duration.ofDays(7)), null);
        Http.Answer answer = Http.post(URI.create(nodeUrl + "/cart-recovery/unsubscribe/" + token), Map.of(),
                "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded");
        if (answer.status() != 200) {
            throw new IllegalStateException("unsubscribe answered " + answer.status());
        }
        return true;
    }

    // ================================================================== the kill

    /** The node killed, when, and what it held then, per channel. */
    private record Kill(String victim, String when, int attempt, Map<String, Map<String, Long>> held) {
        String describe(String channel) {
            return String.format(Locale.ROOT, "node %s killed at %s (attempt %d; a kill finding no claims restarts the "
                    + "node and tries again) holding, of this channel, %s", victim, when, attempt,
                    held.getOrDefault(channel, Map.of()));
        }
    }

    /**
     * Kills the node that holds claims of these carts right now, preferring one that holds texts (like scenario 2), then
     * starts it again.
     */
    private Kill killHolder(long first, long last) {
        try {
            for (int attempt = 1; attempt <= 3; attempt++) {
                String victim = null;
                long preferSms = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (victim == null && System.nanoTime() < deadline) {
                    // a node sending texts if there is one within 30 s (the channel that never retries an unknown fate)
                    victim = database.claimHolder(first, last, System.nanoTime() < preferSms ? "SMS" : null);
                }
                if (victim == null) {
                    problems.add("no node held claims of scenario 8's messages for 60 s");
                    return null;
                }
                Map<String, String> settings = cluster.settingsOf(victim);
                cluster.kill9(victim);
                Instant killed = Instant.now();
                String name = victim;
                Map<String, Map<String, Long>> held = database.planned(first, last).stream()
                        .filter(p -> name.equals(p.claimedBy()) && (p.status().equals("CLAIMED")
                                || p.status().equals("PREPARED") || p.status().equals("SENDING")))
                        .collect(Collectors.groupingBy(Planned::channel, TreeMap::new,
                                Collectors.groupingBy(Planned::status, TreeMap::new, Collectors.counting())));
                timeline.add("node " + victim + " killed at " + offset(killed));
                cluster.restartNode(victim, settings);
                timeline.add("node " + victim + " up again at " + offset(Instant.now()));
                if (!held.isEmpty()) {
                    return new Kill(victim, offset(killed), attempt, held);
                }
            }
            problems.add("three kills found no claims held");
        } catch (Exception e) {
            problems.add("killing a node failed: " + e);
        }
        return null;
    }

    // ================================================================== time

    /** A change to a fake at a second after the start. */
    private record Fault(int atSecond, String what, Runnable action) {
    }

    private void fault(int atSecond, String what, Runnable action) {
        sleepUntil(at(atSecond * 1000L));
        try {
            action.run();
            timeline.add(what + " at " + offset(Instant.now()));
        } catch (RuntimeException e) {
            problems.add(what + " failed: " + e);
        }
    }

    private Instant awaitSettled(long first, long last, Instant notBefore, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Instant now = Instant.now();
            long unplanned = database.count("SELECT COUNT(*) FROM CR_CAPTURED_CART WHERE ORDER_ID BETWEEN " + first
                    + " AND " + last + " AND STATUS = 'ABANDONED'");
            long open = database.planned(first, last).stream().filter(p -> p.pending(now.minusSeconds(5))).count();
            if (unplanned == 0 && open == 0 && now.isAfter(notBefore)) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                problems.add("not settled within " + timeout.toSeconds() + " s: " + unplanned + " carts unplanned, " + open
                        + " due messages open");
                return now;
            }
            Cluster.sleep(1000);
        }
    }

    private Instant at(long millisAfterStart) {
        return start.plusMillis(millisAfterStart);
    }

    private String offset(Instant instant) {
        return String.format(Locale.ROOT, "+%.0f s", Duration.between(start, instant).toMillis() / 1000.0);
    }

    private static void sleepUntil(Instant when) {
        long wait = Duration.between(Instant.now(), when).toMillis();
        if (wait > 0) {
            Cluster.sleep(wait);
        }
    }

    private Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                problems.add(name + " failed: " + e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
