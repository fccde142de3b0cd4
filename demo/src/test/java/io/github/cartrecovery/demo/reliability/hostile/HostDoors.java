package io.github.cartrecovery.demo.reliability.hostile;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's own forms that feed the plugin, each as a shopper's browser posts it: the checkout email step,
 * registration, sign-in, the shipping address at checkout and the cart operations (add, update, remove, coupon).
 * Every answer, and the page a redirect leads to, is checked by {@link HostileResponses}.
 */
final class HostDoors {

    private static final Pattern ORDER_ITEM = Pattern.compile("name=\"orderItemId\" value=\"(\\d+)\"");
    private static final String[] ADDRESS_FIELDS = {"firstName", "lastName", "addressLine1", "city", "postalCode", "country"};

    private final String base;
    private final HostileResponses answers;
    private Shopper loginShopper;
    private Shopper addressShopper;
    private Shopper cartShopper;

    private final Shopper[] emailShoppers;
    private String[] productIds;

    HostDoors(String base, HostileResponses answers, int groupSize) {
        this.base = base;
        this.answers = answers;
        this.emailShoppers = new Shopper[groupSize];
    }

    /** Sends {@code value} through the checkout email step and, by turns, through one other door. */
    void send(int index, String value) throws IOException, InterruptedException {
        checkoutEmail(index, value);
        switch (index % 6) {
            case 0:
                register(index, value);
                break;
            case 1:
                signIn(value);
                break;
            case 2:
                shippingAddress(ADDRESS_FIELDS[(index / 6) % ADDRESS_FIELDS.length], value);
                break;
            case 3:
                addToCart(new String[] {"productId", "skuId", "quantity"}[(index / 6) % 3], value);
                break;
            case 4:
                updateOrRemove((index / 6) % 2 == 0, value);
                break;
            default:
                coupon(value);
        }
    }

    /**
     * Broadleaf's checkout email step (saveGlobalOrderDetails). The values of a group go to as many carts, one each, so
     * every value is its cart's latest state while the group's capture check runs (a value posted on a cart that the
     * next value then changes would be replaced in the capture buffer before it is written, hiding what it does).
     */
    void checkoutEmail(int index, String value) throws IOException, InterruptedException {
        int slot = index % emailShoppers.length;
        if (emailShoppers[slot] == null) {
            emailShoppers[slot] = shopperWithACart(slot);
        }
        post(emailShoppers[slot], "checkout email", "/checkout/email", Map.of("emailAddress", value, "marketingOptIn", "on"), value,
                isMarkup(value));
    }

    /** Broadleaf's registration, from a fresh session with a cart (the cart takes the new customer's address). */
    void register(int index, String value) throws IOException, InterruptedException {
        Shopper shopper = shopperWithACart(index);
        shopper.get("/register");
        String field = new String[] {"customer.emailAddress", "customer.firstName", "customer.lastName", "password"}[(index / 6) % 4];
        Map<String, String> form = new java.util.LinkedHashMap<>(Map.of("customer.emailAddress", "registered-" + index + "@example.com",
                "customer.firstName", "Reg", "customer.lastName", "Istered", "password", "secret12", "passwordConfirm", "secret12"));
        form.put(field, value);
        if (field.equals("password")) {
            form.put("passwordConfirm", value);
        }
        post(shopper, "register " + field, "/register", form, value, true);
    }

    /** Spring Security's form login against Broadleaf's customers. */
    void signIn(String value) throws IOException, InterruptedException {
        if (loginShopper == null) {
            loginShopper = new Shopper(base);
            loginShopper.get("/login");
        }
        post(loginShopper, "sign in", "/login_post.htm", Map.of("j_username", value, "j_password", value), value, true);
    }

    /** The shipping address at checkout; a cart that was bought is replaced by a new one. */
    void shippingAddress(String field, String value) throws IOException, InterruptedException {
        if (addressShopper == null) {
            addressShopper = shopperWithACart(2);
            addressShopper.get("/checkout");
            post(addressShopper, "checkout email (address door)", "/checkout/email", Map.of("emailAddress", "address-door@example.com"), "", false);
        }
        Map<String, String> form = new java.util.LinkedHashMap<>(Map.of("firstName", "Ada", "lastName", "Lovelace",
                "addressLine1", "1 Analytical Way", "city", "London", "postalCode", "N1 9GU", "country", "GB"));
        form.put(field, value);
        addressShopper.get("/checkout");
        HttpResponse<String> answer = post(addressShopper, "shipping address " + field, "/checkout/complete", form, value, true);
        if (answer.headers().firstValue("Location").orElse("").contains("/confirmation")) {
            addressShopper = null; // bought: the next value starts a new cart
        }
    }

    void addToCart(String field, String value) throws IOException, InterruptedException {
        Shopper shopper = cartShopper();
        Map<String, String> form = new java.util.LinkedHashMap<>(Map.of("productId", productIds[0], "skuId", productIds[1], "quantity", "1"));
        form.put(field, value);
        post(shopper, "add to cart " + field, "/cart/add", form, value, true);
    }

    void updateOrRemove(boolean update, String value) throws IOException, InterruptedException {
        Shopper shopper = cartShopper();
        String cart = shopper.get("/cart").body();
        Matcher item = ORDER_ITEM.matcher(cart);
        String orderItemId = item.find() ? item.group(1) : "1";
        if (update) {
            post(shopper, "update quantity", "/cart/update", Map.of("orderItemId", orderItemId, "quantity", value), value, true);
        } else {
            post(shopper, "remove item id", "/cart/remove", Map.of("orderItemId", value), value, true);
        }
    }

    void coupon(String value) throws IOException, InterruptedException {
        Shopper shopper = cartShopper();
        post(shopper, "coupon code", "/cart/promo", Map.of("promoCode", value), value, true);
    }

    private Shopper cartShopper() throws IOException, InterruptedException {
        if (cartShopper == null) {
            cartShopper = shopperWithACart(4);
            String product = cartShopper.get(RecoveryEmails.PRODUCTS[3]).body();
            productIds = new String[] {Shopper.hidden(product, "productId"), Shopper.hidden(product, "skuId")};
        }
        return cartShopper;
    }

    private Shopper shopperWithACart(int index) throws IOException, InterruptedException {
        Shopper shopper = new Shopper(base);
        String product = shopper.get(RecoveryEmails.PRODUCTS[index % RecoveryEmails.PRODUCTS.length]).body();
        HttpResponse<String> added = shopper.post("/cart/add", Map.of("productId", Shopper.hidden(product, "productId"),
                "skuId", Shopper.hidden(product, "skuId"), "quantity", "1"));
        if (added.statusCode() != 302) {
            throw new IllegalStateException("add to cart answered " + added.statusCode());
        }
        return shopper;
    }

    /** Posts, checks the answer, and when it redirects within the store (and {@code follow}), checks that page too. */
    private HttpResponse<String> post(Shopper shopper, String door, String path, Map<String, String> fields, String value, boolean follow)
            throws IOException, InterruptedException {
        String what = door + " " + HostileValues.describe(value);
        String[] reflected = reflected(value);
        HttpResponse<String> answer = shopper.post(path, fields);
        answers.check(what, raw(answer), reflected);
        String location = answer.headers().firstValue("Location").orElse(null);
        if (follow && answer.statusCode() / 100 == 3 && location != null) {
            String local = location.replaceFirst("^https?://[^/]+", "");
            if (!local.startsWith("/") || local.startsWith("//")) {
                answers.problem(what + ": redirects off the store to " + location);
            } else {
                answers.check(what + " -> " + local, raw(shopper.get(local)), reflected);
            }
        }
        return answer;
    }

    static boolean isMarkup(String value) {
        return value.indexOf('<') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\'') >= 0;
    }

    /** The executable markup inside a value: what must never come back verbatim. */
    private static String[] reflected(String value) {
        List<String> markup = new ArrayList<>();
        for (String fragment : HostileValues.MARKUP) {
            if (fragment.indexOf('<') >= 0 && value.contains(fragment)) {
                markup.add(fragment);
            }
        }
        return markup.toArray(new String[0]);
    }

    /** An HTTP client answer in the form {@link HostileResponses} checks. */
    static RawHttp.Response raw(HttpResponse<String> response) {
        List<String[]> headers = new ArrayList<>();
        StringBuilder head = new StringBuilder("HTTP/1.1 " + response.statusCode());
        response.headers().map().forEach((name, values) -> values.forEach(v -> {
            headers.add(new String[] {name, v});
            head.append("\r\n").append(name).append(": ").append(v);
        }));
        return new RawHttp.Response(response.statusCode(), headers, response.body().getBytes(StandardCharsets.UTF_8), head.toString());
    }
}
