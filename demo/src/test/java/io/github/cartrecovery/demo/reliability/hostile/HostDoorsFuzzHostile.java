package io.github.cartrecovery.demo.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The host's own doors that feed the plugin (Broadleaf's checkout email step, registration, sign-in, the shipping
 * address and the cart operations), fed at least 1,000 hostile values over real HTTP against the running demo store,
 * while normal shoppers keep shopping. Each value goes through the checkout email step and, by turns, one other door.
 * <p>
 * After every group of {@value #GROUP} values a normal shopper changes a cart, and a new normal shopper leaves one:
 * both must be in CR_CAPTURED_CART within {@value #CAPTURE_WAIT_MS} ms, written by the capture buffer's own
 * background writer (nothing is flushed by hand), and every earlier normal cart must still be there. Every answer,
 * and every page a redirect leads to: below 500, no stack trace or exception name, no markup reflected unescaped.
 */
@ExtendWith(HostileDemo.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostDoorsFuzzHostile {

    static final long SEED = 20_261_215L;
    static final int VALUES = 1_000;
    static final int GROUP = 20;
    static final long CAPTURE_WAIT_MS = 5_000;
    private static final Pattern ORDER_ITEM = Pattern.compile("name=\"orderItemId\" value=\"(\\d+)\"");

    @Test
    @Order(1)
    void aShopperRegistersSignsInAndTheirCartIsCapturedAsARegisteredCustomer() throws Exception {
        String email = "registered-shopper@example.com";
        Shopper first = new Shopper(HostileDemo.base());
        String product = first.get(RecoveryEmails.PRODUCTS[0]).body();
        first.post("/cart/add", Map.of("productId", Shopper.hidden(product, "productId"), "skuId", Shopper.hidden(product, "skuId"), "quantity", "1"));
        first.get("/register");
        HttpResponse<String> registered = first.post("/register", Map.of("customer.emailAddress", email, "customer.firstName", "Grace",
                "customer.lastName", "Hopper", "password", "secret12", "passwordConfirm", "secret12"));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(302);
        assertThat(registered.headers().firstValue("Location").orElseThrow()).endsWith("/cart");

        long customerId = HostileDemo.jdbc().queryForObject(
                "SELECT CUSTOMER_ID FROM BLC_CUSTOMER WHERE EMAIL_ADDRESS = ? AND IS_REGISTERED = ?", Long.class, email, true);
        long orderId = awaitCaptured("SELECT ORDER_ID FROM CR_CAPTURED_CART WHERE EMAIL = ? AND CUSTOMER_ID = ? AND ITEM_COUNT = 1",
                email, customerId);

        first.get("/logout");
        Shopper again = new Shopper(HostileDemo.base());
        again.get("/login");
        HttpResponse<String> wrong = again.post("/login_post.htm", Map.of("j_username", email, "j_password", "wrong123"));
        assertThat(wrong.headers().firstValue("Location").orElseThrow()).contains("/login?error");
        assertThat(again.open("/login?error=true").body()).contains("The email address or password is not right.");
        HttpResponse<String> signedIn = again.post("/login_post.htm", Map.of("j_username", email, "j_password", "secret12"));
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).endsWith("/cart");
        String another = again.get(RecoveryEmails.PRODUCTS[1]).body();
        again.post("/cart/add", Map.of("productId", Shopper.hidden(another, "productId"), "skuId", Shopper.hidden(another, "skuId"), "quantity", "1"));

        assertThat(awaitCaptured("SELECT ORDER_ID FROM CR_CAPTURED_CART WHERE ORDER_ID = ? AND CUSTOMER_ID = ? AND ITEM_COUNT = 2",
                orderId, customerId)).as("the signed-in customer's cart, one more item").isEqualTo(orderId);
    }

    @Test
    @Order(2)
    void hostileValuesAtTheHostsDoorsNeitherBreakItsAnswersNorStopCapture() throws Exception {
        HostileResponses answers = new HostileResponses();
        HostDoors doors = new HostDoors(HostileDemo.base(), answers, GROUP);
        List<String> values = HostileValues.all(VALUES, SEED);
        assertThat(values).hasSizeGreaterThanOrEqualTo(VALUES);

        Shopper steady = new Shopper(HostileDemo.base());
        steady.leavesACart(RecoveryEmails.PRODUCTS[5], "steady-shopper@example.com");
        long steadyOrder = awaitCaptured("SELECT ORDER_ID FROM CR_CAPTURED_CART WHERE EMAIL = ?", "steady-shopper@example.com");
        List<String> normalCarts = new ArrayList<>();
        long started = System.nanoTime();
        int sent = 0;

        for (int from = 0; from < values.size(); from += GROUP) {
            List<String> group = values.subList(from, Math.min(values.size(), from + GROUP));
            for (int i = 0; i < group.size(); i++) {
                doors.send(from + i, group.get(i));
            }
            sent += group.size();
            String stopped = normalShoppingIsCaptured(steady, steadyOrder, from / GROUP, normalCarts);
            if (stopped != null) {
                List<String> shown = new ArrayList<>();
                group.forEach(v -> shown.add(HostileValues.describe(v)));
                answers.problem("capture stopped after hostile values " + from + ".." + (from + group.size() - 1) + " " + shown + ": " + stopped);
                break; // every later check would wait in vain
            }
        }
        System.out.printf("%s: %d of %d hostile values sent, %d answers checked, %d normal carts, %.1f s%n", getClass().getSimpleName(),
                sent, values.size(), answers.checked(), normalCarts.size(), (System.nanoTime() - started) / 1e9);
        assertThat(answers.problems()).as(answers.report()).isEmpty();
    }

    /** One normal cart change and one new normal cart, both captured in time, and every earlier one still there; null if so. */
    private static String normalShoppingIsCaptured(Shopper steady, long steadyOrder, int round, List<String> normalCarts) throws Exception {
        int quantity = round % 5 + 2;
        Matcher item = ORDER_ITEM.matcher(steady.get("/cart").body());
        if (!item.find()) {
            return "the steady shopper's cart page shows no item";
        }
        steady.post("/cart/update", Map.of("orderItemId", item.group(1), "quantity", String.valueOf(quantity)));
        String email = "normal-" + round + "@example.com";
        new Shopper(HostileDemo.base()).leavesACart(RecoveryEmails.PRODUCTS[round % RecoveryEmails.PRODUCTS.length], email);
        normalCarts.add(email);

        long deadline = System.currentTimeMillis() + CAPTURE_WAIT_MS;
        while (true) {
            Integer captured = HostileDemo.jdbc().queryForObject("SELECT ITEM_COUNT FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", Integer.class, steadyOrder);
            long normal = HostileDemo.jdbc().queryForObject("SELECT COUNT(*) FROM CR_CAPTURED_CART WHERE EMAIL LIKE 'normal-%@example.com'", Long.class);
            boolean newCart = HostileDemo.jdbc().queryForObject("SELECT COUNT(*) FROM CR_CAPTURED_CART WHERE EMAIL = ?", Long.class, email) == 1;
            if (captured != null && captured == quantity && newCart && normal == normalCarts.size()) {
                return null;
            }
            if (System.currentTimeMillis() > deadline) {
                return "within " + CAPTURE_WAIT_MS + " ms the steady shopper's cart shows " + captured + " items (changed to " + quantity
                        + "), the new cart " + email + (newCart ? " is" : " is not") + " captured, " + normal + " of "
                        + normalCarts.size() + " normal carts are";
            }
            Thread.sleep(100);
        }
    }

    /** Polls a query (without flushing by hand) until it finds a row; its first column. */
    private static long awaitCaptured(String sql, Object... args) throws InterruptedException {
        long deadline = System.currentTimeMillis() + CAPTURE_WAIT_MS;
        while (true) {
            List<Long> found = HostileDemo.jdbc().queryForList(sql, Long.class, args);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            assertThat(System.currentTimeMillis()).as("captured within %d ms: %s %s", CAPTURE_WAIT_MS, sql, List.of(args)).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
