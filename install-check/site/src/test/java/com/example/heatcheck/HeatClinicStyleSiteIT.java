package com.example.heatcheck;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.webapp.WebAppContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

/**
 * docs/install.md followed in a fresh Heat Clinic style site: the built WAR (this project's target/site-1.0) runs in
 * embedded Jetty 9.4 on an HSQLDB server with hbm2ddl create-drop, as Heat Clinic's development set-up does, and a
 * guest shopper goes through one whole recovery loop over HTTP: add to cart, give an email with consent at checkout
 * (over https, as the snippet does), leave, get the recovery email, follow its link on another device, find the cart.
 * Every step fails with a message saying which step and what was seen.
 */
class HeatClinicStyleSiteIT {

    private static final String SHOPPER = "jane.guest@heatclinic-shopper.org";
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";

    private GreenMail smtp;
    private WebAppContext site;
    private Server jetty;

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void aGuestsAbandonedCartComesBackThroughTheRecoveryEmail() throws Exception {
        Path war = Paths.get(System.getProperty("heatcheck.war", "target/site-1.0"));
        step("1. the WAR holds one JavaMail and the commons-io/commons-lang3 the docs pin", () -> checkLibraries(war));

        int smtpPort = freePort();
        int webPort = freePort();
        String base = "http://localhost:" + webPort;
        step("2. an SMTP sink starts", () -> {
            smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
        });

        // What a server keeps outside the WAR (docs/install.md, step 4): the secret, the real host names, and for this
        // check only, minutes instead of hours.
        Properties server = new Properties();
        server.setProperty("cartrecovery.links.signing-keys", "check1:install-check-secret-0123456789-abcdefghij");
        server.setProperty("cartrecovery.links.base-url", base);
        server.setProperty("cartrecovery.delivery.smtp.host", "127.0.0.1");
        server.setProperty("cartrecovery.delivery.smtp.port", String.valueOf(smtpPort));
        server.setProperty("cartrecovery.delivery.smtp.security", "NONE");
        server.setProperty("cartrecovery.detection.idle-minutes", "1");
        server.setProperty("cartrecovery.detection.interval-seconds", "5");
        server.setProperty("cartrecovery.campaigns.planning-interval-seconds", "5");
        server.setProperty("cartrecovery.delivery.interval-seconds", "5");
        server.setProperty("cartrecovery.scheduler.idle-wait-ms", "1000");
        server.setProperty("cartrecovery.capture.flush-interval-ms", "200");
        server.setProperty("cartrecovery.campaigns.quiet-hours", "");
        Path overrides = Files.createTempFile("heatcheck-", ".properties");
        try (Writer out = Files.newBufferedWriter(overrides, StandardCharsets.UTF_8)) {
            server.store(out, "the server's own settings");
        }
        System.setProperty("property-override", overrides.toString());

        step("3. the site boots with the plugin installed", () -> {
            site = new WebAppContext(war.toString(), "/");
            jetty = new Server();
            HttpConfiguration http = new HttpConfiguration();
            // behind a TLS-terminating proxy: X-Forwarded-Proto: https makes a request secure, as on Heat Clinic's https checkout
            http.addCustomizer(new ForwardedRequestCustomizer());
            ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
            connector.setPort(webPort);
            jetty.addConnector(connector);
            site.setThrowUnavailableOnStartupException(true);
            jetty.setHandler(site);
            try {
                jetty.start();
            } catch (Exception e) {
                throw new AssertionError("the site did not start: " + causes(e), e);
            }
            if (!site.isAvailable()) {
                throw new AssertionError("the site did not start: " + causes(site.getUnavailableException()));
            }
        });

        HttpClient shopper = client();
        String[] cartPage = new String[1];
        step("4. the snippet answers on the https checkout (channel rule for /cart-recovery/**)", () -> {
            HttpResponse<String> snippet = get(shopper, base + "/cart-recovery/capture.js", true);
            expect(snippet.statusCode() == 200, "GET /cart-recovery/capture.js over https answered " + snippet.statusCode()
                    + " " + snippet.headers().firstValue("Location").orElse("") + ": the channel rule is missing");
        });
        step("5. the guest adds a hot sauce to the cart", () -> {
            HttpResponse<String> cart = get(shopper, base + "/cart", false);
            expect(cart.statusCode() == 200, "GET /cart answered " + cart.statusCode() + ": " + cart.body());
            String productId = find(cart.body(), "name=\"productId\" value=\"(\\d+)\"", "the product on the cart page");
            HttpResponse<String> added = post(shopper, base + "/cart/add", false, "productId=" + productId + "&quantity=1&csrfToken="
                    + csrfToken(cart.body()));
            expect(added.statusCode() == 302, "POST /cart/add answered " + added.statusCode() + ": " + added.body());
            HttpResponse<String> after = get(shopper, base + "/cart", false);
            cartPage[0] = after.body();
            expect(cartPage[0].contains("class=\"item-name\">" + HotSauceCatalog.SAUCE + "<"), "the cart does not show "
                    + HotSauceCatalog.SAUCE + " (POST /cart/add went to " + added.headers().firstValue("Location").orElse("?")
                    + ", GET /cart answered " + after.statusCode() + " " + after.headers().firstValue("Location").orElse("") + "):\n" + cartPage[0]);
        });
        step("6. the https checkout renders the documented snippet and opt-in box, and the snippet's POST keeps the email", () -> {
            HttpResponse<String> checkout = get(shopper, base + "/checkout", true);
            expect(checkout.statusCode() == 200, "GET /checkout over https answered " + checkout.statusCode() + ":\n" + checkout.body());
            expect(checkout.body().contains("id=\"marketingOptIn\""), "no opt-in box on the checkout page:\n" + checkout.body());
            expect(checkout.body().matches("(?s).*<script src=\"/cart-recovery/capture\\.js\"\\s+data-email=\"#emailAddress\""
                    + "\\s+data-consent=\"#marketingOptIn\" defer=\"defer\"></script>.*"),
                    "the snippet tag is not on the checkout page as documented:\n" + checkout.body());
            expect(checkout.body().contains("id=\"emailAddress\""), "no #emailAddress field on the checkout page");
            // exactly what capture.js posts on blur with the box ticked
            HttpResponse<String> captured = post(shopper, base + "/cart-recovery/email", true,
                    "email=" + SHOPPER + "&consent=true&csrfToken=" + csrfToken(checkout.body()));
            expect(captured.statusCode() == 204, "POST /cart-recovery/email answered " + captured.statusCode() + ": " + captured.body());
        });

        step("7. the store's campaign sends its first email at once (the operator's choice in the admin; default: 1 hour)", () -> {
            try (Connection sql = storeDatabase().getConnection(); Statement statement = sql.createStatement()) {
                int updated = statement.executeUpdate("UPDATE CR_CAMPAIGN_STEP SET DELAY_MINUTES = 0 WHERE CAMPAIGN_ID = -1 AND STEP_NO = 1");
                expect(updated == 1, "the plugin's default campaign is not in CR_CAMPAIGN_STEP");
            }
        });

        MimeMessage[] email = new MimeMessage[1];
        step("8. the guest leaves; the recovery email arrives (idle 1 minute, then detection, planning, delivery)", () -> {
            long deadline = System.currentTimeMillis() + 150_000;
            while (smtp.getReceivedMessages().length == 0 && System.currentTimeMillis() < deadline) {
                smtp.waitForIncomingEmail(5_000, 1);
            }
            MimeMessage[] received = smtp.getReceivedMessages();
            if (received.length == 0) {
                throw new AssertionError("no email within 150 s; the plugin's rows: " + pluginRows());
            }
            email[0] = received[0];
            expect(email[0].getAllRecipients()[0].toString().equals(SHOPPER), "the email went to " + email[0].getAllRecipients()[0]);
            String from = email[0].getFrom()[0].toString();
            expect(from.contains("The Heat Clinic") && from.contains("orders@heatclinic.example.org"),
                    "the sender is not the store's own (docs/install.md, step 4): " + from);
            String messageId = email[0].getMessageID();
            expect(messageId != null && messageId.endsWith("@mail.heatclinic.example.org>"), "the Message-ID domain is not the store's: " + messageId);
        });

        step("9. the restore link, opened on another device, brings the cart back", () -> {
            String body = text(email[0]);
            String link = find(body, "(" + Pattern.quote(base) + "/cart-recovery/restore/[^\\s\"'<>]+)", "a restore link in the email");
            HttpClient otherDevice = client();
            HttpResponse<String> restored = get(otherDevice, link.replace("&amp;", "&"), false);
            expect(restored.statusCode() == 302, "the restore link answered " + restored.statusCode() + ":\n" + restored.body());
            String location = restored.headers().firstValue("Location").orElse("");
            expect(location.contains("/cart"), "the restore link redirected to " + location);
            HttpResponse<String> cart = get(otherDevice, base + "/cart", false);
            expect(cart.statusCode() == 200 && cart.body().contains("class=\"item-name\">" + HotSauceCatalog.SAUCE + "<"),
                    "the restored cart does not hold " + HotSauceCatalog.SAUCE + ":\n" + cart.body());
        });
    }

    // --- steps ---------------------------------------------------------------------------------------------

    interface Step {
        void run() throws Exception;
    }

    private static void step(String name, Step step) {
        long start = System.nanoTime();
        try {
            step.run();
        } catch (Throwable e) {
            System.out.println("install-check: FAILED " + name);
            fail("install-check step " + name + " FAILED: " + e.getMessage(), e);
        }
        System.out.printf("install-check: ok     %s (%.1f s)%n", name, (System.nanoTime() - start) / 1e9);
    }

    private static void expect(boolean condition, String otherwise) {
        if (!condition) {
            throw new AssertionError(otherwise);
        }
    }

    private static void checkLibraries(Path war) throws IOException {
        Path lib = war.resolve("WEB-INF/lib");
        expect(Files.isDirectory(lib), lib + " is missing: build the WAR first (mvn package)");
        List<String> jars;
        try (var files = Files.list(lib)) {
            jars = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        List<String> javaMail = jars.stream().filter(j -> j.matches("(mail|javax\\.mail|jakarta\\.mail)-.*\\.jar")).collect(Collectors.toList());
        expect(javaMail.size() == 1, "WEB-INF/lib must hold one JavaMail jar, not " + javaMail);
        expect(jars.contains("commons-io-2.19.0.jar"), "commons-io 2.19.0 is not in WEB-INF/lib: " + grep(jars, "commons-io"));
        expect(jars.contains("commons-lang3-3.17.0.jar"), "commons-lang3 3.17.0 is not in WEB-INF/lib: " + grep(jars, "commons-lang3"));
        expect(jars.stream().anyMatch(j -> j.startsWith("cart-recovery-site-")), "the plugin is not in WEB-INF/lib");
    }

    private static List<String> grep(List<String> jars, String prefix) {
        return jars.stream().filter(j -> j.startsWith(prefix)).collect(Collectors.toList());
    }

    /** The site's own datasource (bean webDS), taken from its Spring context: the database lives in the webapp. */
    private DataSource storeDatabase() throws Exception {
        Object context = site.getServletContext().getAttribute("org.springframework.web.context.WebApplicationContext.ROOT");
        expect(context != null, "the site has no root Spring context");
        return (DataSource) context.getClass().getMethod("getBean", String.class).invoke(context, "webDS");
    }

    private String pluginRows() {
        List<String> rows = new ArrayList<>();
        try (Connection sql = storeDatabase().getConnection(); Statement statement = sql.createStatement()) {
            for (String query : new String[] {"SELECT ORDER_ID, EMAIL, STATUS FROM CR_CAPTURED_CART",
                    "SELECT ID, STATUS, LAST_ERROR FROM CR_PLANNED_MESSAGE"}) {
                try (ResultSet result = statement.executeQuery(query)) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        StringBuilder row = new StringBuilder(query.substring(query.lastIndexOf(' ') + 1)).append('[');
                        for (int i = 1; i <= columns; i++) {
                            row.append(i > 1 ? ", " : "").append(result.getString(i));
                        }
                        rows.add(row.append(']').toString());
                    }
                } catch (Exception e) {
                    rows.add(query + ": " + e.getMessage());
                }
            }
        } catch (Exception e) {
            rows.add("database unreachable: " + e.getMessage());
        }
        return rows.isEmpty() ? "none (the cart was never captured)" : rows.toString();
    }

    // --- HTTP ----------------------------------------------------------------------------------------------

    private static HttpClient client() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpResponse<String> get(HttpClient client, String url, boolean https) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("User-Agent", BROWSER);
        if (https) {
            request.header("X-Forwarded-Proto", "https");
        }
        return client.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient client, String url, boolean https, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("User-Agent", BROWSER)
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (https) {
            request.header("X-Forwarded-Proto", "https");
        }
        return client.send(request.POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String csrfToken(String page) {
        return find(page, "name=\"csrfToken\" value=\"([^\"]+)\"", "Broadleaf's csrfToken in a form");
    }

    private static String find(String text, String regex, String what) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            throw new AssertionError("no " + what + " in:\n" + text);
        }
        return matcher.group(1);
    }

    private static String text(Part part) throws Exception {
        Object content = part.getContent();
        if (content instanceof String) {
            return (String) content;
        }
        if (content instanceof Multipart) {
            Multipart multipart = (Multipart) content;
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                all.append(text(body)).append('\n');
            }
            return all.toString();
        }
        return "";
    }

    private static String causes(Throwable failure) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            chain.append(chain.length() == 0 ? "" : " <- ").append(t);
        }
        return chain.toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
