package io.github.cartrecovery.demo.reliability.hostile;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.codehaus.jackson.map.ObjectMapper;
import org.codehaus.jackson.type.TypeReference;

import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.delivery.MessageDelivery;

/**
 * Real recovery emails in the demo's mailbox, fast: shoppers leave carts over HTTP (add to cart, email at checkout),
 * the plugin captures them, then the test does what the idle minute and the detection job would do (the detector's
 * own transition: ACTIVE to ABANDONED, abandoned two minutes ago), and the plugin's planner and delivery (through
 * their beans) plan the demo campaign and send its first, already due, step over SMTP to the mailbox. The links are
 * read from the mailbox, as a shopper reads them.
 */
final class RecoveryEmails {

    static final String[] PRODUCTS = {"/products/french-press", "/products/stoneware-mug", "/products/earl-grey-tea",
        "/products/hand-grinder", "/products/espresso-beans", "/products/glass-teapot", "/products/milk-frother",
        "/products/travel-tumbler"};

    private RecoveryEmails() {
    }

    /** One email per address; returns every link of each, by address. */
    static Map<String, List<String>> sendFirstEmails(List<String> addresses) throws Exception {
        for (int i = 0; i < addresses.size(); i++) {
            new Shopper(HostileDemo.base()).leavesACart(PRODUCTS[i % PRODUCTS.length], addresses.get(i));
        }
        HostileDemo.flushCaptures();
        Instant abandonedAt = Instant.now().minus(Duration.ofMinutes(2));
        for (String address : addresses) {
            int abandoned = HostileDemo.jdbc().update("UPDATE CR_CAPTURED_CART SET STATUS = 'ABANDONED', ABANDONED_AT = ?, "
                    + "STATUS_CHANGED_AT = ? WHERE LOWER(EMAIL) = ? AND STATUS = 'ACTIVE' AND ITEM_COUNT > 0",
                    Timestamp.from(abandonedAt), Timestamp.from(Instant.now()), address.toLowerCase());
            if (abandoned != 1) {
                throw new IllegalStateException("the plugin did not capture the cart of " + address + " (" + abandoned + " rows)");
            }
        }
        int planned = HostileDemo.bean("crRecoveryPlanner", RecoveryPlanner.class).planDue();
        if (planned < addresses.size()) {
            throw new IllegalStateException("planned " + planned + " of " + addresses.size() + " carts");
        }
        int sent = HostileDemo.bean("crMessageDelivery", MessageDelivery.class).deliverDue(addresses.size() * 3);
        if (sent < addresses.size()) {
            throw new IllegalStateException("sent " + sent + " of " + addresses.size() + " first emails");
        }
        List<Map<String, Object>> mailbox = new ObjectMapper().readValue(
                new Shopper(HostileDemo.base()).get("/mailbox/messages.json").body(), new TypeReference<List<Map<String, Object>>>() { });
        Map<String, List<String>> links = new LinkedHashMap<>();
        for (String address : addresses) {
            List<String> all = new ArrayList<>();
            for (Map<String, Object> mail : mailbox) {
                if (address.equalsIgnoreCase((String) mail.get("to"))) {
                    @SuppressWarnings("unchecked")
                    List<String> mailLinks = (List<String>) mail.get("links");
                    all.addAll(mailLinks);
                }
            }
            if (all.isEmpty()) {
                throw new IllegalStateException("no email to " + address + " in the mailbox");
            }
            links.put(address, all);
        }
        return links;
    }

    /** The first link of the email with this path prefix, as a path on the store ("/cart-recovery/restore/..."). */
    static String path(List<String> links, String prefix) {
        for (String link : links) {
            String path = link.replaceFirst("^https?://[^/]+", "");
            if (path.startsWith(prefix)) {
                return path;
            }
        }
        throw new IllegalStateException("no " + prefix + " link in " + links);
    }
}
