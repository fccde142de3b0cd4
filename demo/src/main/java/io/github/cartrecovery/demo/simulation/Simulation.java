package io.github.cartrecovery.demo.simulation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code demo/run --simulate N}: N shoppers use the running store over HTTP, as browsers would (own session
 * cookie, the pages' CSRF tokens, a browser User-Agent so the plugin's bot exclusion lets them through):
 * about 15% only browse, 25% buy at once, 60% give their email at checkout and leave. Of those, half come
 * back when their recovery email arrives in the mailbox: a little later (as people read, past the plugin's link-scanner
 * window) they open its restore link in a fresh session (another device; the plugin's real restore endpoint brings
 * the cart back and records the click) and buy, so the purchase is RECOVERED. A returner who gets no email (an
 * experiment's holdout, see {@code DemoSeed.seedExperiment}) comes back on their own with a chance of one in three
 * once the wait for emails is over, and buys in the browser the cart was left in, so the holdout has the baseline an
 * experiment's lift is measured against. The admin's report then has abandoned, emailed and recovered carts to show.
 */
public final class Simulation implements Runnable {

    static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/124.0 Safari/537.36 CartRecoveryDemoShopper";
    private static final Pattern PRODUCT_LINK = Pattern.compile("href=\"(/products/[a-z0-9-]+)\"");
    private static final Pattern CSRF = Pattern.compile("name=\"csrfToken\" value=\"([^\"]+)\"");
    private static final Pattern HIDDEN = Pattern.compile("name=\"(productId|skuId)\" value=\"(\\d+)\"");
    private static final Pattern MAIL = Pattern.compile("\\{\"index\":(\\d+),\"to\":\"([^\"]*)\",\"subject\":\"(?:[^\"\\\\]|\\\\.)*\",\"links\":\\[([^\\]]*)\\]\\}");
    private static final Pattern JSON_STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Duration EMAIL_WAIT = Duration.ofMinutes(10);
    /**
     * A returner opens the email's link this long after it arrived: a visit within
     * {@code cartrecovery.tracking.scanner-window-seconds} (10) of sending counts as a link scanner's, not a click, and
     * the purchase would be INFLUENCED rather than RECOVERED.
     */
    private static final long READING_DELAY_MS = 15_000L;

    private final String baseUrl;
    private final int shoppers;
    private final PrintStream out;
    private final Random random;
    private final Duration emailWait;

    public Simulation(String baseUrl, int shoppers, PrintStream out) {
        this(baseUrl, shoppers, out, new Random(), EMAIL_WAIT);
    }

    /** Returners wait {@code emailWait} for their email (10 minutes by default) before some come back on their own. */
    public Simulation(String baseUrl, int shoppers, PrintStream out, Random random, Duration emailWait) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.shoppers = shoppers;
        this.out = out;
        this.random = random;
        this.emailWait = emailWait;
    }

    /** Against a demo that is already running: {@code Simulation http://localhost:8080 40}. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: Simulation BASE_URL SHOPPERS   (or: demo/run --simulate SHOPPERS)");
            System.exit(2);
        }
        new Simulation(args[0], Integer.parseInt(args[1]), System.out).run();
    }

    @Override
    public void run() {
        try {
            Result result = simulate();
            out.println("Simulation finished: " + result);
        } catch (Exception e) {
            out.println("Simulation stopped: " + e);
        }
    }

    public Result simulate() throws IOException, InterruptedException {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000L, 36);
        out.println("Simulation: " + shoppers + " shoppers start shopping");
        Result result = new Result();
        Map<String, Shopper> waitingForEmail = new LinkedHashMap<String, Shopper>();
        for (int i = 1; i <= shoppers; i++) {
            Shopper shopper = new Shopper("shopper" + i + "-" + run + "@example.com");
            shopper.fillCart(1 + random.nextInt(3));
            double kind = random.nextDouble();
            if (kind < 0.15) {
                result.browsed++;
            } else {
                shopper.giveEmail();
                if (kind < 0.40) {
                    shopper.placeOrder();
                    result.boughtAtOnce++;
                } else {
                    result.abandoned++;
                    if (random.nextBoolean()) {
                        waitingForEmail.put(shopper.email, shopper);
                    }
                }
            }
            Thread.sleep(100 + random.nextInt(400));
        }
        out.println("Simulation: " + result.boughtAtOnce + " bought, " + result.abandoned + " left a cart with their email, "
                + result.browsed + " only browsed; " + waitingForEmail.size() + " will come back from their recovery email "
                + "(the first emails go out about two minutes after a cart is left)");
        long deadline = System.currentTimeMillis() + emailWait.toMillis();
        Map<String, Long> emailSeenAt = new LinkedHashMap<String, Long>();
        while (!waitingForEmail.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5_000);
            long now = System.currentTimeMillis();
            for (Map.Entry<String, String> mail : restoreLinks().entrySet()) {
                if (!waitingForEmail.containsKey(mail.getKey())) {
                    continue;
                }
                Long seen = emailSeenAt.get(mail.getKey());
                if (seen == null) {
                    emailSeenAt.put(mail.getKey(), now);
                } else if (now - seen >= READING_DELAY_MS) {
                    comeBack(waitingForEmail.remove(mail.getKey()), mail.getValue(), result);
                }
            }
        }
        result.neverEmailed = waitingForEmail.size();
        for (Shopper unprompted : waitingForEmail.values()) {
            if (random.nextInt(3) == 0) {
                unprompted.placeOrder();
                result.cameBackUnprompted++;
                out.println("Simulation: " + unprompted.email + " got no email and came back on their own to buy");
            }
        }
        return result;
    }

    /** Follows the restore link in a fresh session (another device); falls back to the first session's cart. */
    private void comeBack(Shopper original, String link, Result result) throws IOException {
        Shopper device = new Shopper(original.email);
        Page landing = device.get(link);
        Page cart = device.get(baseUrl + "/cart");
        if (landing.status < 400 && cart.body.contains("class=\"cart-item\"")) {
            if (!device.checkoutHasEmail()) {
                device.giveEmail();
            }
            device.placeOrder();
            result.recoveredOnAnotherDevice++;
            out.println("Simulation: " + original.email + " came back from the email and bought (restore link, new session)");
        } else {
            // The link did not bring the cart back (e.g. no restore landing installed): the shopper returns to
            // the browser the cart was left in.
            original.placeOrder();
            result.recoveredSameBrowser++;
            out.println("Simulation: " + original.email + " came back from the email and bought (restore link answered "
                    + landing.status + "; bought in the original session)");
        }
    }

    /** Recipient -> restore link of the newest email to them. */
    private Map<String, String> restoreLinks() throws IOException {
        Map<String, String> links = new LinkedHashMap<String, String>();
        Page json = new Shopper("mailbox").get(baseUrl + "/mailbox/messages.json");
        Matcher mail = MAIL.matcher(json.body);
        while (mail.find()) {
            String to = mail.group(2);
            Matcher link = JSON_STRING.matcher(mail.group(3));
            while (link.find()) {
                String url = link.group(1).replace("\\u0026", "&");
                if (url.startsWith(baseUrl) && !url.contains("unsubscribe")) {
                    links.put(to, url);
                    break;
                }
            }
        }
        return links;
    }

    /** One browser: a cookie jar and the pages it posts to. */
    private final class Shopper {
        final String email;
        final Map<String, String> cookies = new LinkedHashMap<String, String>();

        Shopper(String email) {
            this.email = email;
        }

        void fillCart(int products) throws IOException {
            Page home = get(baseUrl + "/");
            List<String> links = new ArrayList<String>();
            Matcher matcher = PRODUCT_LINK.matcher(home.body);
            while (matcher.find()) {
                if (!links.contains(matcher.group(1))) {
                    links.add(matcher.group(1));
                }
            }
            if (links.isEmpty()) {
                throw new IOException("the store lists no products");
            }
            Collections.shuffle(links, random);
            for (String link : links.subList(0, Math.min(products, links.size()))) {
                Page product = get(baseUrl + link);
                Map<String, String> form = new LinkedHashMap<String, String>();
                Matcher hidden = HIDDEN.matcher(product.body);
                while (hidden.find()) {
                    form.put(hidden.group(1), hidden.group(2));
                }
                form.put("quantity", String.valueOf(1 + random.nextInt(2)));
                post("/cart/add", product, form);
            }
        }

        void giveEmail() throws IOException {
            Page checkout = get(baseUrl + "/checkout");
            Map<String, String> form = new LinkedHashMap<String, String>();
            form.put("emailAddress", email);
            post("/checkout/email", checkout, form);
        }

        boolean checkoutHasEmail() throws IOException {
            return get(baseUrl + "/checkout").body.contains("id=\"address-form\"");
        }

        void placeOrder() throws IOException {
            Page checkout = get(baseUrl + "/checkout");
            Map<String, String> form = new LinkedHashMap<String, String>();
            form.put("firstName", "Demo");
            form.put("lastName", "Shopper");
            form.put("addressLine1", "1 Market Street");
            form.put("city", "Springfield");
            form.put("postalCode", "12345");
            form.put("country", "US");
            Page done = post("/checkout/complete", checkout, form);
            if (done.location == null || !done.location.contains("/confirmation/")) {
                throw new IOException("checkout for " + email + " did not reach the confirmation (" + done.status + " " + done.location + ")");
            }
        }

        Page post(String path, Page formPage, Map<String, String> fields) throws IOException {
            Matcher csrf = CSRF.matcher(formPage.body);
            StringBuilder body = new StringBuilder();
            if (csrf.find()) {
                body.append("csrfToken=").append(URLEncoder.encode(csrf.group(1), "UTF-8"));
            }
            for (Map.Entry<String, String> field : fields.entrySet()) {
                body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(field.getKey(), "UTF-8"))
                        .append('=').append(URLEncoder.encode(field.getValue(), "UTF-8"));
            }
            return request("POST", baseUrl + path, body.toString());
        }

        Page get(String url) throws IOException {
            Page page = request("GET", url, null);
            int hops = 0;
            while (page.location != null && hops++ < 5) {
                String next = page.location.startsWith("http") ? page.location : baseUrl + page.location;
                page = request("GET", next, null);
            }
            return page;
        }

        private Page request(String method, String url, String form) throws IOException {
            HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setRequestMethod(method);
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(60_000);
            connection.setRequestProperty("User-Agent", USER_AGENT);
            if (!cookies.isEmpty()) {
                StringBuilder cookie = new StringBuilder();
                for (Map.Entry<String, String> entry : cookies.entrySet()) {
                    cookie.append(cookie.length() == 0 ? "" : "; ").append(entry.getKey()).append('=').append(entry.getValue());
                }
                connection.setRequestProperty("Cookie", cookie.toString());
            }
            if (form != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
                try (OutputStream body = connection.getOutputStream()) {
                    body.write(form.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = connection.getResponseCode();
            List<String> setCookies = connection.getHeaderFields().get("Set-Cookie");
            if (setCookies != null) {
                for (String setCookie : setCookies) {
                    String pair = setCookie.split(";", 2)[0];
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                    }
                }
            }
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (in != null) {
                try (InputStream stream = in) {
                    byte[] buffer = new byte[8192];
                    int n;
                    while ((n = stream.read(buffer)) > 0) {
                        bytes.write(buffer, 0, n);
                    }
                }
            }
            String location = status >= 300 && status < 400 ? connection.getHeaderField("Location") : null;
            return new Page(status, location, new String(bytes.toByteArray(), StandardCharsets.UTF_8));
        }
    }

    private static final class Page {
        final int status;
        final String location;
        final String body;

        Page(int status, String location, String body) {
            this.status = status;
            this.location = location;
            this.body = body;
        }
    }

    /** What the simulated shoppers did. */
    public static final class Result {
        public int browsed;
        public int boughtAtOnce;
        public int abandoned;
        public int recoveredOnAnotherDevice;
        public int recoveredSameBrowser;
        public int neverEmailed;
        public int cameBackUnprompted;

        @Override
        public String toString() {
            return boughtAtOnce + " bought at once, " + abandoned + " abandoned a cart with their email, "
                    + (recoveredOnAnotherDevice + recoveredSameBrowser) + " of them came back from a recovery email and bought ("
                    + recoveredOnAnotherDevice + " through the restore link in a new session), "
                    + browsed + " only browsed" + (neverEmailed > 0 ? ", " + neverEmailed + " returners got no email in time ("
                    + cameBackUnprompted + " of them came back on their own and bought)" : "");
        }
    }
}
