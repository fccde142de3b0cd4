package io.github.cartrecovery.demotest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.github.cartrecovery.demo.DemoOptions;
import io.github.cartrecovery.demo.DemoStartupException;
import io.github.cartrecovery.demo.DemoStore;
import io.github.cartrecovery.demo.seed.DemoSeed;
import io.github.cartrecovery.demo.simulation.Simulation;
import io.github.cartrecovery.experiment.ArmKind;
import io.github.cartrecovery.experiment.Experiment;
import io.github.cartrecovery.experiment.ExperimentArm;
import io.github.cartrecovery.experiment.Experiments;
import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.ChannelMessage;
import io.github.cartrecovery.channel.Recipient;
import io.github.cartrecovery.channel.SendOutcome;
import io.github.cartrecovery.delivery.RecoveryLinks;
import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.webhook.WebhookRequest;

/**
 * Boots the whole demo (storefront, admin, mailbox) on a free port and a fresh database, as demo/run does,
 * and checks what a first-time user touches: READY is printed, the store's pages work on Broadleaf, the demo
 * login gets into the admin, and the mailbox shows what the SMTP server received, escaped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the experiment and the simulation last: they touch the demo campaign's carts
class DemoStoreIT {

    @TempDir
    static Path dataDir;

    static DemoStore demo;
    static String output;
    static String base;

    @BeforeAll
    static void start() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int port = freePort();
        demo = DemoStore.start(DemoOptions.of(port, dataDir.toFile(), true, Map.of()),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        output = printed.toString(StandardCharsets.UTF_8);
        base = "http://localhost:" + port;
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void printsTheUrlsThenReady() {
        assertThat(output).contains("Store:   " + base + "/", "Admin:   " + base + "/admin/", "(login: admin / admin)",
                "Mailbox: " + base + "/mailbox/", "Webhooks: " + base + "/webhooks/", "SMS:     " + base + "/sms-outbox/",
                "Health:  " + base + "/cart-recovery/health");
        assertThat(output.strip().lines().filter(line -> line.startsWith("READY ")))
                .containsExactly("READY " + base + "/");
    }

    @Test
    void answersItsHealthCheckWithEveryCheckForThisMachine() throws Exception {
        HttpResponse<String> health = new Browserless(base).get("/cart-recovery/health");
        assertThat(health.statusCode()).isIn(200, 503);
        assertThat(health.body()).startsWith("{\"status\":").contains("\"scheduler\":", "\"mailServer\":", "\"backlog\":",
                "\"capture\":", "\"database\":{\"status\":\"UP\"");
    }

    @Test
    void listsTheSeededProductsWithLocalImages() throws Exception {
        Browserless shopper = new Browserless(base);
        HttpResponse<String> home = shopper.get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        Matcher products = Pattern.compile("class=\"product-link\" href=\"(/products/[a-z-]+)\"").matcher(home.body());
        assertThat(products.results().count()).isEqualTo(12);
        HttpResponse<String> image = shopper.get("/img/products/french-press.svg");
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.body()).startsWith("<svg");
    }

    @Test
    void addsToCartChangesQuantityAppliesACouponAndCheckesOut() throws Exception {
        Browserless shopper = new Browserless(base);
        String product = shopper.get("/products/french-press").body();
        assertThat(product).contains("French Press", "id=\"add-to-cart\"");
        Map<String, String> item = Map.of("productId", hidden(product, "productId"), "skuId", hidden(product, "skuId"), "quantity", "1");
        assertThat(shopper.post("/cart/add", product, item).headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/cart"));

        String cart = shopper.get("/cart").body();
        assertThat(cart).contains("class=\"cart-item\"", "French Press", "id=\"total\">$39.00<");
        shopper.post("/cart/update", cart, Map.of("orderItemId", hidden(cart, "orderItemId"), "productId", hidden(cart, "productId"),
                "skuId", hidden(cart, "skuId"), "quantity", "2"));
        cart = shopper.get("/cart").body();
        assertThat(cart).contains("id=\"total\">$78.00<");

        shopper.post("/cart/promo", cart, Map.of("promoCode", "WELCOME10"));
        cart = shopper.get("/cart").body();
        assertThat(cart).contains("class=\"applied-coupon\"", "WELCOME10", "id=\"total\">$70.20<");

        String checkout = shopper.get("/checkout").body();
        assertThat(checkout).contains("id=\"emailAddress\"", "/cart-recovery/capture.js", "data-email=\"#emailAddress\"");
        shopper.post("/checkout/email", checkout, Map.of("emailAddress", "it-shopper@example.com"));
        checkout = shopper.get("/checkout").body();
        assertThat(checkout).contains("id=\"address-form\"");
        HttpResponse<String> placed = shopper.post("/checkout/complete", checkout, Map.of("firstName", "Ada", "lastName", "Lovelace",
                "addressLine1", "1 Main St", "city", "Springfield", "postalCode", "12345", "country", "US"));
        String confirmation = placed.headers().firstValue("Location").orElseThrow();
        assertThat(confirmation).contains("/confirmation/");
        String page = shopper.get(confirmation).body();
        assertThat(page).contains("Thank you for your order", "id=\"order-total\">$70.20<");
        assertThat(shopper.get("/cart").body()).contains("Your cart is empty");
    }

    @Test
    void aLowerPriceInTheCatalogSendsThePriceDropAlertToTheMailboxWithinAMinute() throws Exception {
        Browserless shopper = new Browserless(base);
        String product = shopper.get("/products/pour-over-dripper").body();
        shopper.post("/cart/add", product, Map.of("productId", hidden(product, "productId"), "skuId", hidden(product, "skuId"),
                "quantity", "1"));
        String email = "price-drop-" + System.nanoTime() + "@example.com";
        shopper.post("/checkout/email", shopper.get("/checkout").body(), Map.of("emailAddress", email));
        demo.storeContext().getBean("crCaptureBuffer", io.github.cartrecovery.capture.CaptureBuffer.class).flush();
        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(
                demo.storeContext().getBean("crDataSource", javax.sql.DataSource.class));
        // the cart left and in recovery, as a minute of idling and the planning job would leave it
        jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'IN_RECOVERY', ABANDONED_AT = ? WHERE EMAIL = ?",
                new java.sql.Timestamp(System.currentTimeMillis()), email);
        long skuId = Long.parseLong(hidden(product, "skuId"));
        org.broadleafcommerce.core.catalog.service.CatalogService catalog = demo.storeContext().getBean("blCatalogService",
                org.broadleafcommerce.core.catalog.service.CatalogService.class);
        org.springframework.transaction.support.TransactionTemplate transaction = new org.springframework.transaction.support.TransactionTemplate(
                demo.storeContext().getBean("blTransactionManager", org.springframework.transaction.PlatformTransactionManager.class));
        try {
            transaction.execute(status -> {
                org.broadleafcommerce.core.catalog.domain.Sku sku = catalog.findSkuById(skuId);
                sku.setSalePrice(new org.broadleafcommerce.common.money.Money(new java.math.BigDecimal("24.00")));
                return catalog.saveSku(sku);
            });
            long until = System.currentTimeMillis() + 60_000;
            String mailbox = "";
            while (System.currentTimeMillis() < until && !mailbox.contains(DemoSeed.PRICE_DROP_SUBJECT)) {
                Thread.sleep(2_000);
                mailbox = new Browserless(base).get("/mailbox/messages.json").body();
            }
            assertThat(mailbox).contains(DemoSeed.PRICE_DROP_SUBJECT).contains("\"to\":\"" + email + "\"");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE m JOIN CR_CAPTURED_CART c ON c.ORDER_ID = m.ORDER_ID "
                    + "WHERE c.EMAIL = ? AND m.TRIGGER_TYPE = 'PRICE_DROP'", Integer.class, email)).isEqualTo(1);
        } finally {
            transaction.execute(status -> {
                org.broadleafcommerce.core.catalog.domain.Sku sku = catalog.findSkuById(skuId);
                sku.setSalePrice(null);
                return catalog.saveSku(sku);
            });
        }
    }

    @Test
    void theCheckoutTakesAPhoneWithItsOwnTextMeBoxSeparateFromEmailConsent() throws Exception {
        Browserless shopper = new Browserless(base);
        String product = shopper.get("/products/glass-teapot").body();
        shopper.post("/cart/add", product, Map.of("productId", hidden(product, "productId"), "skuId", hidden(product, "skuId"),
                "quantity", "1"));
        String checkout = shopper.get("/checkout").body();
        assertThat(checkout).contains("<label for=\"phone\">Mobile phone (optional)</label>", "id=\"phone\"", "type=\"tel\"",
                "id=\"smsOptIn\"", "Text me about my cart", "data-phone=\"#phone\"", "data-sms-consent=\"#smsOptIn\"");

        String email = "texts-" + System.nanoTime() + "@example.com";
        shopper.post("/checkout/email", checkout, Map.of("emailAddress", email, "phone", "(201) 555-0123", "smsOptIn", "on"));
        demo.storeContext().getBean("crCaptureBuffer", io.github.cartrecovery.capture.CaptureBuffer.class).flush();

        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(
                demo.storeContext().getBean("crDataSource", javax.sql.DataSource.class));
        assertThat(jdbc.queryForMap("SELECT PHONE, SMS_CONSENT, MARKETING_CONSENT FROM CR_CAPTURED_CART WHERE EMAIL = ?", email))
                .containsEntry("PHONE", "+12015550123").containsEntry("SMS_CONSENT", "GRANTED")
                .containsEntry("MARKETING_CONSENT", "UNKNOWN");
        checkout = shopper.get("/checkout").body();
        assertThat(checkout).as("after Continue the page shows the number and the boxes as the shopper left them")
                .containsPattern("id=\"phone\"[^>]* value=\"\\(201\\) 555-0123\"")
                .containsPattern("id=\"smsOptIn\"[^>]* checked=\"checked\"")
                .doesNotContainPattern("id=\"marketingOptIn\"[^>]* checked");
        shopper.post("/checkout/email", checkout, Map.of("emailAddress", email, "marketingOptIn", "on"));
        assertThat(shopper.get("/checkout").body()).containsPattern("id=\"marketingOptIn\"[^>]* checked=\"checked\"");

        checkout = shopper.get("/checkout").body();
        shopper.post("/checkout/email", checkout, Map.of("emailAddress", email, "phone", "555-0123"));
        checkout = shopper.get("/checkout").body();
        assertThat(checkout).contains("Your email is saved, but phone has too few digits")
                .as("what was typed is shown again to be corrected").containsPattern("id=\"phone\"[^>]* value=\"555-0123\"");

        // hostile input comes back escaped, and the box as it was sent
        shopper.post("/checkout/email", checkout, Map.of("emailAddress", email, "phone", "\"><script>alert(1)</script>",
                "smsOptIn", "on"));
        checkout = shopper.get("/checkout").body();
        assertThat(checkout).contains("phone may contain only digits").doesNotContain("<script>alert(1)")
                .containsPattern("id=\"phone\"[^>]* value=\"&quot;&gt;&lt;script&gt;alert\\(1\\)&lt;/script&gt;\"")
                .containsPattern("id=\"smsOptIn\"[^>]* checked=\"checked\"");

        // a bad address never costs the number: it is taken on its own, and both fields come back
        shopper.post("/checkout/email", checkout, Map.of("emailAddress", "not-an-address", "phone", "(201) 555-0177", "smsOptIn", "on"));
        checkout = shopper.get("/checkout").body();
        assertThat(checkout).contains("Please enter a valid email address.")
                .containsPattern("id=\"phone\"[^>]* value=\"\\(201\\) 555-0177\"");
        demo.storeContext().getBean("crCaptureBuffer", io.github.cartrecovery.capture.CaptureBuffer.class).flush();
        assertThat(jdbc.queryForMap("SELECT PHONE, SMS_CONSENT FROM CR_CAPTURED_CART WHERE EMAIL = ?", email))
                .containsEntry("PHONE", "+12015550177").containsEntry("SMS_CONSENT", "GRANTED");
    }

    @Test
    void signsLinksWithAKeyGeneratedForItsDataFolderAndPointsThemAtItsPort() throws Exception {
        Properties key = new Properties();
        try (java.io.Reader in = Files.newBufferedReader(dataDir.resolve("signing-key.properties"))) {
            key.load(in);
        }
        assertThat(key.getProperty("cartrecovery.links.signing-keys")).matches("demo:[A-Za-z0-9+/=]{48}");
        RecoveryLinks links = demo.storeContext().getBean("crRecoveryLinks", RecoveryLinks.class);
        assertThat(links.restoreUrl(1L, 1L)).startsWith(base + "/cart-recovery/restore/");
        assertThat(links.unsubscribeUrl(1L)).startsWith(base + "/cart-recovery/unsubscribe/");
        // The same folder keeps its key (links in sent emails survive a restart).
        assertThat(DemoStore.signingKey(dataDir.toFile())).isEqualTo(key.getProperty("cartrecovery.links.signing-keys"));
    }

    @Test
    void oneClickUnsubscribeIsNotStoppedByBroadleafsCsrfCheck() throws Exception {
        // A mailbox provider's RFC 8058 POST: no session, no CSRF token. With the exclusion the plugin's landing
        // answers (404 for a message that does not exist); without it Broadleaf's CSRF filter rejects the POST.
        String unsubscribe = demo.storeContext().getBean("crRecoveryLinks", RecoveryLinks.class).unsubscribeUrl(987654321L);
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(unsubscribe))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(404);
        java.net.http.HttpResponse<String> csrfChecked = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/cart/promo"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("promoCode=WELCOME10")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(csrfChecked.statusCode()).as("other POSTs keep the CSRF check").isNotIn(200, 302, 404);
    }

    @Test
    void theSmsOutboxPlaysTheProviderWithSignedCallbacksAndReplies() throws Exception {
        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(
                demo.storeContext().getBean("crDataSource", javax.sql.DataSource.class));
        io.github.cartrecovery.sms.SmsChannel sms = demo.storeContext().getBean("crSmsChannel", io.github.cartrecovery.sms.SmsChannel.class);
        io.github.cartrecovery.sms.SmsOptOuts optOuts = demo.storeContext().getBean("crSmsOptOuts", io.github.cartrecovery.sms.SmsOptOuts.class);
        String phone = "+4915199990001";
        long message = sendingText(jdbc, "sms-demo@example.com");

        // the channel hands a text to the stand-in provider, as delivery does
        io.github.cartrecovery.channel.SendOutcome outcome = sms.open().send(io.github.cartrecovery.channel.Recipient.to(phone),
                message, new io.github.cartrecovery.sms.SmsText("Demo Store: your cart is saved. " + base + "/cart-recovery/s/x"));
        assertThat(outcome.getKind()).isEqualTo(io.github.cartrecovery.channel.SendOutcome.Kind.ACCEPTED);
        jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SENT', PROVIDER_REF = ? WHERE ID = ?", outcome.getProviderReference(), message);

        // the outbox lists it, and its signed "delivered" callback is recorded by the store
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? AND EVENT_TYPE = 'DELIVERED'",
                Integer.class, message) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(jdbc.queryForObject("SELECT OUTCOME FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class, message)).isEqualTo("DELIVERED");
        String json = new Browserless(base).get("/sms-outbox/messages.json").body();
        assertThat(json).contains("\"to\":\"" + phone + "\"").contains("\"status\":\"delivered\"").contains("\"callbackAnswer\":\"204\"");
        assertThat(new Browserless(base).get("/sms-outbox/").body()).contains("SMS outbox").contains("Demo Store: your cart is saved.");

        // a STOP from the outbox reaches the store signed, past Broadleaf's CSRF check, and opts the number out of texts
        HttpResponse<String> reply = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/sms-outbox/reply"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("from=%2B4915199990001&body=STOP")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reply.body()).contains("The store answered HTTP 200").contains("no more cart reminder texts");
        assertThat(optOuts.isOptedOut(phone)).isTrue();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = 'sms-demo@example.com'", Integer.class)).isZero();

        // the magic invalid number is refused as Twilio refuses it, and suppressed for texts
        long invalid = sendingText(jdbc, "sms-invalid@example.com");
        io.github.cartrecovery.channel.SendOutcome refused = sms.open().send(
                io.github.cartrecovery.channel.Recipient.to("+15005550001"), invalid, new io.github.cartrecovery.sms.SmsText("Hi"));
        assertThat(refused.isSuppressRecipient()).isTrue();
        assertThat(optOuts.isOptedOut("+15005550001")).isTrue();
    }

    /** A planned text as delivery leaves it while handing it over (SENDING on channel SMS). */
    private static long sendingText(org.springframework.jdbc.core.JdbcTemplate jdbc, String email) {
        java.sql.Timestamp now = new java.sql.Timestamp(System.currentTimeMillis());
        long orderId = 880_000_000L + (System.nanoTime() % 1_000_000L);
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, LOCALE_CODE, STATUS, DUE_AT, "
                + "ATTEMPTS, CREATED_AT, UPDATED_AT, CHANNEL) VALUES (?, 1, 1, 1, ?, 'en', 'SENDING', ?, 1, ?, ?, 'SMS')",
                orderId, email, now, now, now);
        return jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?", Long.class, orderId);
    }

    @Test
    void theSeededCampaignsSecondStepIssuesUniqueCodesOfTheCodeDeliveredTemplateOffer() {
        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(
                demo.storeContext().getBean("crDataSource", javax.sql.DataSource.class));
        Map<String, Object> step = jdbc.queryForMap("SELECT S.COUPON_POLICY, S.COUPON_OFFER, S.COUPON_VALUE, S.COUPON_VALID_HOURS "
                + "FROM CR_CAMPAIGN_STEP S JOIN CR_CAMPAIGN C ON C.ID = S.CAMPAIGN_ID WHERE C.NAME = ? AND S.STEP_NO = 2",
                DemoSeed.CAMPAIGN_NAME);
        assertThat(step.get("COUPON_POLICY")).isEqualTo("ANY");
        assertThat(step.get("COUPON_OFFER")).isEqualTo(DemoSeed.RECOVERY_OFFER_NAME);
        assertThat(step.get("COUPON_VALUE")).isNull();
        assertThat(step.get("COUPON_VALID_HOURS")).isNull();
        assertThat(jdbc.queryForObject("SELECT OFFER_DELIVERY_TYPE FROM BLC_OFFER WHERE OFFER_NAME = ?", String.class,
                DemoSeed.RECOVERY_OFFER_NAME)).isEqualTo("CODE");
    }

    @Test
    void aKnownShoppersProductViewsAreRecordedForTheSeededBrowseCampaign() throws Exception {
        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(
                demo.storeContext().getBean("crDataSource", javax.sql.DataSource.class));
        assertThat(jdbc.queryForList("SELECT TRIGGER_TYPE FROM CR_CAMPAIGN WHERE NAME IN (?, ?) AND STATUS = 'ENABLED' "
                + "ORDER BY TRIGGER_TYPE", String.class, DemoSeed.BROWSE_CAMPAIGN_NAME, DemoSeed.FOLLOW_UP_CAMPAIGN_NAME))
                .containsExactly("BROWSE", "POST_PURCHASE");
        Browserless shopper = new Browserless(base);
        String email = "browsing-" + System.nanoTime() + "@example.com";
        String product = shopper.get("/products/glass-teapot").body();
        shopper.post("/cart/add", product, Map.of("productId", hidden(product, "productId"), "skuId", hidden(product, "skuId"),
                "quantity", "1"));
        String checkout = shopper.get("/checkout").body();
        shopper.post("/checkout/email", checkout, Map.of("emailAddress", email)); // now the shopper is known

        assertThat(shopper.get("/products/french-press").statusCode()).isEqualTo(200);
        demo.storeContext().getBean("crBrowseBuffer", io.github.cartrecovery.browse.BrowseBuffer.class).flush();

        assertThat(jdbc.queryForList("SELECT s.STATUS FROM CR_BROWSE_SESSION s JOIN CR_BROWSE_PRODUCT p ON p.SESSION_ID = s.ID "
                + "JOIN BLC_PRODUCT b ON b.PRODUCT_ID = p.PRODUCT_ID WHERE s.EMAIL = ? AND b.URL = '/products/french-press'",
                String.class, email)).containsExactly("BROWSING");
    }

    @Test
    void seedsCrossSalesSoTheEmailsRecommendProducts() {
        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(
                demo.storeContext().getBean("crDataSource", javax.sql.DataSource.class));
        int relations = 0;
        for (String[] row : DemoSeed.CROSS_SALES) {
            relations += row.length - 1;
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM BLC_PRODUCT_CROSS_SALE", Integer.class)).isEqualTo(relations);
        io.github.cartrecovery.rendering.CatalogRecommendations recommendations = demo.storeContext().getBean(
                "crCatalogRecommendations", io.github.cartrecovery.rendering.CatalogRecommendations.class);
        long coffee = jdbc.queryForObject("SELECT P.PRODUCT_ID FROM BLC_PRODUCT P JOIN BLC_SKU S ON S.SKU_ID = P.DEFAULT_SKU_ID "
                + "WHERE S.NAME = 'Morning Blend Coffee'", Long.class);
        assertThat(recommendations.forCart(java.util.Collections.singleton(coffee), 3))
                .extracting(io.github.cartrecovery.rendering.Recommendation::getName)
                .containsExactly("Stoneware Mug", "Pour-over Dripper", "Hand Grinder");
    }

    @Test
    void answersTheBrowsersFaviconRequestWithAnIcon() throws Exception {
        java.net.http.HttpResponse<byte[]> icon = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/favicon.ico")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.body()).startsWith((byte) 0, (byte) 0, (byte) 1, (byte) 0); // an ICO file's header
    }

    @Test
    void servesThePluginsCaptureSnippet() throws Exception {
        HttpResponse<String> snippet = new Browserless(base).get("/cart-recovery/capture.js");
        assertThat(snippet.statusCode()).isEqualTo(200);
        assertThat(snippet.body()).contains("sendBeacon");
    }

    @Test
    void theDemoLoginGetsIntoTheAdmin() throws Exception {
        Browserless operator = new Browserless(base);
        HttpResponse<String> login = operator.get("/admin/login");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(operator.get("/admin/").body()).as("the admin asks for a login first").contains("j_password");

        HttpResponse<String> posted = operator.post("/admin/login_admin_post", login.body(),
                Map.of("j_username", DemoStore.ADMIN_LOGIN, "j_password", DemoStore.ADMIN_PASSWORD));
        assertThat(posted.headers().firstValue("Location").orElse("")).doesNotContain("login_error");
        HttpResponse<String> home = operator.open("/admin/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).doesNotContain("j_password").contains("adminLogout");
    }

    /**
     * Signing in from the sign-in page opened directly (a bookmark, the README's link) lands in the admin: the page was
     * guarded, so opening it saved it as the page to return to, and signing in showed the form again.
     */
    @Test
    void signingInFromTheSignInPageItselfLandsInTheAdmin() throws Exception {
        Browserless operator = new Browserless(base);
        HttpResponse<String> login = operator.get("/admin/login");
        assertThat(login.statusCode()).isEqualTo(200);

        HttpResponse<String> posted = operator.post("/admin/login_admin_post", login.body(),
                Map.of("j_username", DemoStore.ADMIN_LOGIN, "j_password", DemoStore.ADMIN_PASSWORD));
        String target = posted.headers().firstValue("Location").orElse("");
        assertThat(target).as("where signing in sends the operator").isNotEmpty().doesNotContain("login_error")
                .doesNotEndWith("/login");
        HttpResponse<String> landed = operator.open(target);
        assertThat(landed.statusCode()).isEqualTo(200);
        assertThat(landed.body()).doesNotContain("j_password").contains("adminLogout");
    }

    /** The admin's icons: FontAwesome's font files were 404s, and every menu and button icon an empty box. */
    @Test
    void theAdminsIconFontIsServed() throws Exception {
        Browserless operator = new Browserless(base);

        for (String font : new String[] {"fontawesome-webfont.woff?v=3.2.1", "fontawesome-webfont.ttf?v=3.2.1"}) {
            HttpResponse<String> served = operator.get("/admin/fonts/" + font);
            assertThat(served.statusCode()).as(font).isEqualTo(200);
        }
    }

    /**
     * The admin node runs no jobs (the storefront does); its Operations page said DOWN, "the scheduler of node ... is
     * not running", because the health check was not told the admin's scheduler is off on purpose.
     */
    @Test
    void theAdminsOperationsPageDoesNotTakeItsOffSchedulerForAStoppedOne() throws Exception {
        Browserless operator = new Browserless(base);
        HttpResponse<String> login = operator.get("/admin/login");
        operator.post("/admin/login_admin_post", login.body(),
                Map.of("j_username", DemoStore.ADMIN_LOGIN, "j_password", DemoStore.ADMIN_PASSWORD));

        String page = operator.open("/admin/cart-recovery-report/operations").body();

        assertThat(page).contains("data-check=\"scheduler\"", "off (cartrecovery.scheduler.enabled=false)")
                .doesNotContain("is not running", "scheduler stopped on this node");
    }

    /**
     * Catalog > Products shows the default SKU's fields under names such as {@code fields['defaultSku__retailPrice']}
     * (Broadleaf writes "__" for "." in the form); the admin's filter chain must turn them back, or Broadleaf skips them,
     * saves only the product's own fields and still says "Successfully saved". The POST carries what the product form
     * sends for these fields.
     */
    @Test
    void theProductEditorSavesTheDefaultSkusPriceAndInventoryType() throws Exception {
        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(
                demo.storeContext().getBean("crDataSource", javax.sql.DataSource.class));
        Map<String, Object> before = jdbc.queryForMap("SELECT P.PRODUCT_ID, P.DEFAULT_CATEGORY_ID, S.SKU_ID, S.RETAIL_PRICE "
                + "FROM BLC_PRODUCT P JOIN BLC_SKU S ON S.SKU_ID = P.DEFAULT_SKU_ID WHERE S.NAME = 'Travel Tumbler'");
        // seeded without a sale price or an inventory type (restored so in the end)
        long productId = ((Number) before.get("PRODUCT_ID")).longValue();
        long skuId = ((Number) before.get("SKU_ID")).longValue();
        Browserless operator = new Browserless(base);
        HttpResponse<String> login = operator.get("/admin/login");
        operator.post("/admin/login_admin_post", login.body(),
                Map.of("j_username", DemoStore.ADMIN_LOGIN, "j_password", DemoStore.ADMIN_PASSWORD));
        String path = "/admin/product/" + productId;
        HttpResponse<String> form = operator.open(path);
        assertThat(form.body()).as("the product form, its nested fields named with __")
                .contains("name=\"fields[&#39;defaultSku__retailPrice&#39;].value\"", "name=\"fields[&#39;manufacturer&#39;].value\"");
        try {
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            fields.put("ceilingEntityClassname", "org.broadleafcommerce.core.catalog.domain.Product");
            fields.put("entityType", "org.broadleafcommerce.core.catalog.domain.ProductImpl");
            fields.put("id", String.valueOf(productId));
            fields.put("sectionCrumbs", "product--" + productId);
            fields.put("fields['defaultCategory'].value", String.valueOf(before.get("DEFAULT_CATEGORY_ID"))); // required
            fields.put("fields['manufacturer'].value", "Demo Works");
            fields.put("fields['defaultSku__retailPrice'].value", "21.00");
            fields.put("fields['defaultSku__salePrice'].value", "19.50");
            fields.put("fields['defaultSku__inventoryType'].value", "UNAVAILABLE");
            HttpResponse<String> saved = operator.post(path, form.body(), fields);
            assertThat(saved.statusCode()).as("Broadleaf's answer to a save it accepted: back to the product").isEqualTo(302);
            assertThat(saved.headers().firstValue("Location").orElse("")).endsWith(path);

            assertThat(jdbc.queryForObject("SELECT MANUFACTURE FROM BLC_PRODUCT WHERE PRODUCT_ID = ?", String.class, productId))
                    .isEqualTo("Demo Works");
            Map<String, Object> sku = jdbc.queryForMap("SELECT RETAIL_PRICE, SALE_PRICE, INVENTORY_TYPE FROM BLC_SKU WHERE SKU_ID = ?", skuId);
            assertThat((BigDecimal) sku.get("RETAIL_PRICE")).as("the default SKU's retail price").isEqualByComparingTo("21.00");
            assertThat((BigDecimal) sku.get("SALE_PRICE")).as("the default SKU's sale price").isEqualByComparingTo("19.50");
            assertThat(sku.get("INVENTORY_TYPE")).as("the default SKU's inventory type").isEqualTo("UNAVAILABLE");
        } finally {
            // as seeded again for the other tests (the simulation's shoppers buy it), through Broadleaf so its cache agrees
            org.broadleafcommerce.core.catalog.service.CatalogService catalog = demo.storeContext().getBean("blCatalogService",
                    org.broadleafcommerce.core.catalog.service.CatalogService.class);
            new org.springframework.transaction.support.TransactionTemplate(demo.storeContext().getBean("blTransactionManager",
                    org.springframework.transaction.PlatformTransactionManager.class)).execute(status -> {
                        org.broadleafcommerce.core.catalog.domain.Sku sku = catalog.findSkuById(skuId);
                        sku.setRetailPrice(new org.broadleafcommerce.common.money.Money((BigDecimal) before.get("RETAIL_PRICE")));
                        sku.setSalePrice(null);
                        sku.setInventoryType(null);
                        return catalog.saveSku(sku);
                    });
            jdbc.update("UPDATE BLC_PRODUCT SET MANUFACTURE = NULL WHERE PRODUCT_ID = ?", productId);
        }
    }

    @Test
    void aWrongPasswordStaysOutOfTheAdmin() throws Exception {
        Browserless stranger = new Browserless(base);
        HttpResponse<String> login = stranger.get("/admin/login");
        HttpResponse<String> posted = stranger.post("/admin/login_admin_post", login.body(),
                Map.of("j_username", "admin", "j_password", "wrong"));
        assertThat(posted.headers().firstValue("Location").orElse("")).contains("login_error");
    }

    @Test
    void theMailboxShowsEveryReceivedEmailEscapedWithItsHtmlSandboxed() throws Exception {
        send("jane@example.com", "Hello <b>Jane</b>", "Your cart: " + base + "/cart-recovery/restore/42",
                "<html><head></head><body><script>alert(1)</script><a href=\"" + base + "/cart-recovery/restore/42\">Back to your cart</a></body></html>");
        Browserless reader = new Browserless(base);
        String list = reader.get("/mailbox/").body();
        assertThat(list).contains("jane@example.com", "Hello &lt;b&gt;Jane&lt;/b&gt;").doesNotContain("<b>Jane</b>");
        Matcher link = Pattern.compile("href=\"(/mailbox/message/\\d+)\"").matcher(list);
        assertThat(link.find()).isTrue();

        String message = reader.get(link.group(1)).body();
        assertThat(message).contains("sandbox=\"allow-top-navigation-by-user-activation allow-popups\"",
                "class=\"email-link\" href=\"" + base + "/cart-recovery/restore/42\"");
        assertThat(message).doesNotContain("<script>");
        assertThat(message).as("a phone shows the page at its own width, not as a 980 px desktop page")
                .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        HttpResponse<String> html = reader.get(link.group(1) + ".html");
        assertThat(html.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("sandbox ").contains("default-src 'none'");
        assertThat(html.body()).contains("<base target=\"_top\">");

        assertThat(reader.get("/mailbox/messages.json").body()).contains("\"to\":\"jane@example.com\"", "/cart-recovery/restore/42");
        assertThat(reader.get("/mailbox/message/9999").statusCode()).isEqualTo(404);
    }

    @Test
    void theStoresWebhookChannelPostsToTheDemoReceiverSigned() throws Exception {
        @SuppressWarnings("unchecked")
        Channel<WebhookRequest> webhooks = demo.storeContext().getBean("crWebhookChannel", Channel.class);
        RecoveryCart cart = new RecoveryCart("Jane", "en_US", "USD",
                List.of(new CartLine("Demo \"Webhook\" Mug", 2, new BigDecimal("9.90"), new BigDecimal("9.90"), null, null)));
        ChannelMessage message = new ChannelMessage(990_001, 424_242, 1, "cr-demo-it-1",
                Recipient.to(base + "/webhooks/receive"), "jane@example.com", "gentle-reminder", "Your cart", cart, null, null);
        Channel.Sender<WebhookRequest> sender = webhooks.open();
        SendOutcome outcome = sender.send(null, 990_001, webhooks.build(message));
        sender.close(true);

        assertThat(outcome.getKind()).as(outcome.toString()).isEqualTo(SendOutcome.Kind.ACCEPTED);
        Browserless reader = new Browserless(base);
        assertThat(reader.get("/webhooks/messages.json").body())
                .contains("\"signatureValid\":true", "\"idempotencyKey\":\"cr-demo-it-1\"", "Demo \\\"Webhook\\\" Mug",
                        "\"subtotal\":\"19.80\"");
        assertThat(reader.get("/webhooks/").body()).contains("signature valid: <strong class=\"valid\">yes</strong>",
                "Demo \\&quot;Webhook\\&quot; Mug");
    }

    @Test
    void aTakenPortIsAClearErrorBeforeAnythingStarts(@TempDir Path otherData) throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThatThrownBy(() -> DemoStore.start(DemoOptions.of(taken.getLocalPort(), otherData.toFile(), false, Map.of()),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                    .isInstanceOf(DemoStartupException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " is already in use")
                    .hasMessageContaining("DEMO_PORT=");
        }
        assertThat(Files.list(otherData)).isEmpty();
    }

    private void send(String to, String subject, String text, String html) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", "127.0.0.1");
        properties.setProperty("mail.smtp.port", String.valueOf(demo.smtp().getSmtp().getPort()));
        MimeMessage message = new MimeMessage(Session.getInstance(properties));
        message.setFrom(new InternetAddress("shop@demo-store.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject, "UTF-8");
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart textPart = new MimeBodyPart();
        textPart.setText(text, "UTF-8");
        MimeBodyPart htmlPart = new MimeBodyPart();
        htmlPart.setContent(html, "text/html; charset=UTF-8");
        alternative.addBodyPart(textPart);
        alternative.addBodyPart(htmlPart);
        message.setContent(alternative);
        Transport.send(message);
    }

    private static String hidden(String page, String name) {
        Matcher matcher = Pattern.compile("name=\"" + name + "\" value=\"(\\d+)\"").matcher(page);
        assertThat(matcher.find()).as("hidden field " + name).isTrue();
        return matcher.group(1);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE - 1)
    void simulateStartsARunningExperimentWithAHoldoutAndTwoSubjectArmsOnlyOnce() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        Experiments experiments = demo.storeContext().getBean("crExperiments", Experiments.class);
        long campaignId = new org.springframework.jdbc.core.JdbcTemplate(demo.storeContext().getBean("crDataSource",
                javax.sql.DataSource.class)).queryForObject("SELECT ID FROM CR_CAMPAIGN WHERE NAME = ?", Long.class,
                DemoSeed.CAMPAIGN_NAME);
        assertThat(output).doesNotContain(DemoSeed.EXPERIMENT_NAME); // not without --simulate

        DemoSeed.seedExperiment(demo.storeContext(), out);
        Experiment running = experiments.running(campaignId);
        try {
            DemoSeed.seedExperiment(demo.storeContext(), out); // a second start with --simulate leaves it as it is

            assertThat(running.getName()).isEqualTo(DemoSeed.EXPERIMENT_NAME);
            assertThat(running.getHoldoutPercent()).isEqualByComparingTo(DemoSeed.EXPERIMENT_HOLDOUT_PERCENT);
            assertThat(running.getArms()).extracting(ExperimentArm::getKind)
                    .containsExactly(ArmKind.HOLDOUT, ArmKind.CONTROL, ArmKind.VARIANT, ArmKind.VARIANT);
            assertThat(running.arm("B").step(1).getSubject()).isEqualTo(DemoSeed.SUBJECT_SAVED);
            assertThat(running.arm("B").step(1).getLocaleSubjects()).containsEntry("de", DemoSeed.SUBJECT_SAVED_DE);
            assertThat(running.arm("C").step(1).getSubject()).isEqualTo(DemoSeed.SUBJECT_QUESTION);
            assertThat(experiments.forCampaign(campaignId)).hasSize(1);
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Started the experiment '" + DemoSeed.EXPERIMENT_NAME)
                    .contains("runs the experiment '" + DemoSeed.EXPERIMENT_NAME + "'");
        } finally {
            experiments.end(running.getId(), null);
        }
        DemoSeed.seedExperiment(demo.storeContext(), out); // ended: its history stays, no second one
        assertThat(experiments.running(campaignId)).isNull();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("has ended");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void simulatedReturnersWithoutAnEmailSometimesComeBackOnTheirOwnAndBuy() throws Exception {
        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(
                demo.storeContext().getBean("crDataSource", javax.sql.DataSource.class));
        String submitted = "SELECT COUNT(*) FROM BLC_ORDER WHERE ORDER_STATUS = 'SUBMITTED' AND EMAIL_ADDRESS LIKE 'shopper%@example.com'";
        int before = jdbc.queryForObject(submitted, Integer.class);

        // no wait for emails: every returner is one who got none (like a holdout's)
        Simulation.Result result = new Simulation(base, 16, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new java.util.Random(7), java.time.Duration.ZERO).simulate();

        assertThat(result.neverEmailed).isPositive();
        assertThat(result.cameBackUnprompted).isPositive().isLessThanOrEqualTo(result.neverEmailed);
        assertThat(result.recoveredOnAnotherDevice + result.recoveredSameBrowser).isZero();
        assertThat(jdbc.queryForObject(submitted, Integer.class) - before)
                .isEqualTo(result.boughtAtOnce + result.cameBackUnprompted);
    }
}
