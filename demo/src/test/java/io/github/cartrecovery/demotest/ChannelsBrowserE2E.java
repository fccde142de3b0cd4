package io.github.cartrecovery.demotest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.demo.DemoOptions;
import io.github.cartrecovery.demo.DemoStore;
import io.github.cartrecovery.demo.seed.DemoSeed;
import io.github.cartrecovery.sms.SegmentCounter;
import io.github.cartrecovery.sms.SmsOptOuts;

/**
 * Issue 16's seed sequence in the demo store, in real browsers, run by
 * {@code mvn -B verify -pl demo -am -Pe2e -Dit.test=ChannelsBrowserE2E}:
 * <ol>
 * <li>Shoppers leave carts at checkout: one over 50 USD with an email, marketing consent, a phone number and its own
 * "Text me about my cart" box (saved with Continue: Broadleaf's checkout form); a second the same way but only through
 * the capture snippet (they just leave); a big cart (150 USD or more, no phone), which the push campaign hands to the
 * store's push service as a signed webhook. A prober feeds the phone field, the plugin's capture endpoint and the
 * outbox's STOP form hostile values.</li>
 * <li>The second shopper replies STOP from the demo's SMS outbox (the provider's signed inbound webhook) after their
 * first email, before the SMS step.</li>
 * <li>The operator (admin/admin) sees the seed campaign's SMS step with its channel and conditions in the campaign
 * editor, and the SMS preview with its segment count.</li>
 * <li>The demo's jobs run the sequence on its own clock (minutes): the first shopper gets email, email, exactly one
 * text whose short link restores the cart in another browser, and the last email; the second gets the three emails and
 * no text; the webhook receiver shows the big cart's document with a valid signature; the report has a row per
 * channel.</li>
 * </ol>
 * Screenshots go to {@code demo/target/e2e-screenshots/channels-*}. Takes about nine minutes (the demo's timings:
 * idle 1 minute, then 1, 3, 4 and 6 minutes).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChannelsBrowserE2E {

    static final Path SCREENSHOTS = Path.of("target", "e2e-screenshots");
    /** Texts over 50 USD: Espresso Beans 24.00 + Pour-over Dripper 29.00. */
    static final Shopper ONE = new Shopper("channels-one@example.com", "(201) 555-0181", "+12015550181",
            List.of("espresso-beans", "pour-over-dripper"), List.of("Espresso Beans", "Pour-over Dripper"));
    /** French Press 39.00 + Stoneware Mug 12.00; replies STOP. */
    static final Shopper TWO = new Shopper("channels-two@example.com", "+1 201 555 0182", "+12015550182",
            List.of("french-press", "stoneware-mug"), List.of("French Press", "Stoneware Mug"));
    /** 166.00: the push campaign's cart. */
    static final Shopper BIG = new Shopper("channels-big@example.com", null, null,
            List.of("hand-grinder", "cold-brew-kit", "glass-teapot", "pour-over-dripper"), List.of());
    /** Earl Grey Tea 8.50: under 50, so its SMS step is skipped whatever the prober leaves in the phone field. */
    static final String PROBER = "channels-prober@example.com";

    /** The demo's data and the browsers' profiles (under target/: see AdminBrowserE2E). */
    static final Path work = Path.of("target", "channels-e2e");

    static DemoStore demo;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Chromium.installIfMissing();
        demo = DemoStore.start(DemoOptions.of(freePort(), work.resolve("data").toFile(), true, Map.of()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        base = demo.baseUrl();
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    @Order(1)
    void shoppersLeaveCartsWithTheirPhoneAndItsOwnTextMeBox() throws Exception {
        ChromeDriver one = Chromium.newSession(work.resolve("profiles"));
        ChromeDriver two = Chromium.newSession(work.resolve("profiles"));
        ChromeDriver big = Chromium.newSession(work.resolve("profiles"));
        try {
            fillCart(one, ONE);
            checkoutDetails(one, ONE);
            Chromium.screenshot(one, SCREENSHOTS, "channels-01-checkout-phone-and-text-me-box");
            one.findElement(By.id("save-email")).click(); // Broadleaf's checkout form takes the phone too
            wait(one).until(ExpectedConditions.presenceOfElementLocated(By.id("address-form")));
            assertThat(one.findElements(By.cssSelector(".flash.error"))).isEmpty();

            fillCart(two, TWO);
            checkoutDetails(two, TWO);
            two.findElement(By.id("emailAddress")).click(); // the phone field loses focus: the snippet posts it
            Thread.sleep(1500);

            fillCart(big, BIG);
            checkoutDetails(big, BIG);
            big.findElement(By.id("save-email")).click();
            wait(big).until(ExpectedConditions.presenceOfElementLocated(By.id("address-form")));
        } finally {
            one.quit(); // the shoppers leave
            two.quit();
            big.quit();
        }
        for (Shopper shopper : List.of(ONE, TWO, BIG)) {
            awaitTrue(shopper.email + "'s cart captured with its total", Duration.ofSeconds(20), () -> !jdbc().queryForList(
                    "SELECT ORDER_ID FROM CR_CAPTURED_CART WHERE EMAIL = ? AND TOTAL IS NOT NULL", Long.class, shopper.email).isEmpty());
            shopper.orderId = jdbc().queryForObject("SELECT ORDER_ID FROM CR_CAPTURED_CART WHERE EMAIL = ?", Long.class, shopper.email);
        }
        for (Shopper shopper : List.of(ONE, TWO)) {
            awaitTrue(shopper.email + "'s phone captured with SMS consent", Duration.ofSeconds(20), () -> jdbc().queryForMap(
                    "SELECT PHONE, SMS_CONSENT FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", shopper.orderId)
                    .equals(Map.of("PHONE", shopper.e164, "SMS_CONSENT", "GRANTED")));
            assertThat(jdbc().queryForObject("SELECT MARKETING_CONSENT FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class,
                    shopper.orderId)).isEqualTo("GRANTED");
        }
        assertThat(total(ONE)).isEqualByComparingTo("53.00");
        assertThat(total(TWO)).isEqualByComparingTo("51.00");
        assertThat(total(BIG)).isEqualByComparingTo("166.00");
    }

    /**
     * The doors a shopper touches, fed hostile values: the phone field of Broadleaf's checkout form (its maxlength
     * removed, as anyone can), the plugin's capture endpoint (from the page, with its CSRF token), the outbox's STOP form.
     * Each bad value gets its reason, rendered as text; no markup from it runs; capture goes on.
     */
    @Test
    @Order(2)
    void hostilePhoneValuesGetAReasonRenderedAsTextAndNeverStopCapture() throws Exception {
        String injected = "\"><img src=x onerror=\"window.pwned=1\"><script>window.pwned=1</script>";
        String markup = "\"><svg onload=pwned=1>"; // short enough to be judged by its characters
        ChromeDriver prober = Chromium.newSession(work.resolve("profiles"));
        try {
            addToCart(prober, "earl-grey-tea");
            prober.findElement(By.id("checkout-link")).click();
            wait(prober).until(ExpectedConditions.elementToBeClickable(By.id("emailAddress"))).sendKeys(PROBER);
            prober.findElement(By.id("save-email")).click();
            wait(prober).until(ExpectedConditions.presenceOfElementLocated(By.id("address-form")));
            long proberCart = awaitCart(PROBER);

            String characters = "phone may contain only digits, spaces and + - . ( ) /, with + only at the start";
            Map<String, String> refused = new java.util.LinkedHashMap<>();
            refused.put(injected, "phone must be at most 32 characters");
            refused.put(markup, characters);
            refused.put("1".repeat(5000), "phone must be at most 32 characters");
            refused.put("call me maybe", characters);
            refused.put("+1 201 555 0190 #5", characters);
            refused.put("+1 201 555", "phone has too few digits for a number of its country");
            for (Map.Entry<String, String> value : refused.entrySet()) {
                String page = submitPhone(prober, value.getKey());
                assertThat(prober.findElement(By.cssSelector(".flash.error")).getText())
                        .isEqualTo("Your email is saved, but " + value.getValue() + ".");
                assertThat(prober.executeScript("return window.pwned === undefined && !document.querySelector('img[src=\"x\"]')"))
                        .as("nothing of " + value.getKey().substring(0, Math.min(20, value.getKey().length())) + " ran").isEqualTo(true);
                assertThat(page).doesNotContain("<script>window.pwned");
                if (value.getKey().length() < 64) {
                    assertThat(prober.findElement(By.id("phone")).getAttribute("value")).as("shown again to be corrected")
                            .isEqualTo(value.getKey());
                }
                Map<String, Object> answer = capture(prober, value.getKey());
                assertThat(answer.get("status")).as(value.getKey()).isIn(400L, 413L);
                assertThat((String) answer.get("body")).doesNotContain("<");
            }
            Chromium.screenshot(prober, SCREENSHOTS, "channels-02-hostile-phone-refused");

            // what phones and input methods really send is taken, in E.164, and capture still writes
            Map<String, String> accepted = new java.util.LinkedHashMap<>();
            accepted.put("\u202A+1 201-555-0191\u202C", "+12015550191"); // pasted from a phone's contacts (bidi marks)
            accepted.put("\uFF0B\uFF11 \uFF12\uFF10\uFF11 \uFF15\uFF15\uFF15 \uFF10\uFF11\uFF19\uFF12", "+12015550192"); // full width
            accepted.put("+\u0661 \u0662\u0660\u0661 \u0665\u0665\u0665 \u0660\u0661\u0669\u0663", "+12015550193"); // Arabic-Indic digits
            for (Map.Entry<String, String> value : accepted.entrySet()) {
                submitPhone(prober, value.getKey());
                assertThat(prober.findElements(By.cssSelector(".flash.error"))).as(value.getKey()).isEmpty();
                awaitTrue(value.getKey() + " captured as " + value.getValue(), Duration.ofSeconds(10), () -> value.getValue()
                        .equals(jdbc().queryForObject("SELECT PHONE FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class, proberCart)));
            }
            assertThat(capture(prober, "(201) 555-0194")).containsEntry("status", 204L);
            awaitTrue("the endpoint's number captured", Duration.ofSeconds(10), () -> "+12015550194".equals(
                    jdbc().queryForObject("SELECT PHONE FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class, proberCart)));

            // the STOP form: a number that is none gets its reason, escaped, and reaches nobody
            prober.get(base + "/sms-outbox/");
            WebElement from = wait(prober).until(ExpectedConditions.presenceOfElementLocated(By.name("from")));
            from.clear();
            from.sendKeys(markup);
            prober.findElement(By.name("body")).clear();
            prober.findElement(By.name("body")).sendKeys(injected);
            prober.findElement(By.cssSelector("form.reply button[type='submit']")).click();
            WebElement error = wait(prober).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("p.error")));
            assertThat(error.getText()).startsWith("Not sent: phone may contain only digits");
            assertThat(prober.findElement(By.name("from")).getAttribute("value")).isEqualTo(markup);
            assertThat(prober.findElement(By.name("body")).getAttribute("value")).isEqualTo(injected);
            assertThat(prober.executeScript("return window.pwned === undefined && !document.querySelector('img[src=\"x\"]')"))
                    .isEqualTo(true);
            Chromium.screenshot(prober, SCREENSHOTS, "channels-03-stop-form-refuses-a-non-number");
        } finally {
            prober.quit();
        }
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM CR_SMS_OPT_OUT", Integer.class)).isZero();
    }

    @Test
    @Order(3)
    void theSecondShopperRepliesStopFromTheOutboxBeforeTheSmsStep() throws Exception {
        awaitEmail(TWO, DemoSeed.FIRST_SUBJECT, Duration.ofMinutes(5));
        assertThat(jdbc().queryForObject("SELECT STATUS FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND CHANNEL = 'SMS'",
                String.class, TWO.orderId)).as("the SMS step is still to come").isEqualTo("PLANNED");

        ChromeDriver phone = Chromium.newSession(work.resolve("profiles"));
        try {
            phone.get(base + "/sms-outbox/");
            WebElement from = wait(phone).until(ExpectedConditions.presenceOfElementLocated(By.name("from")));
            from.clear();
            from.sendKeys(TWO.typedPhone); // as the shopper wrote it at checkout
            WebElement body = phone.findElement(By.name("body"));
            body.clear();
            body.sendKeys("Stop");
            Thread.sleep(11_000); // the outbox refreshes every 10 seconds, but not under a reply being typed
            assertThat(phone.findElement(By.name("from")).getAttribute("value")).isEqualTo(TWO.typedPhone);
            Chromium.screenshot(phone, SCREENSHOTS, "channels-04-outbox-reply-stop");
            phone.findElement(By.cssSelector("form.reply button[type='submit']")).click();
            wait(phone).until(ExpectedConditions.textToBe(By.tagName("h1"), "Reply sent"));
            assertThat(phone.findElement(By.tagName("main")).getText())
                    .contains("Sent Stop from " + TWO.e164 + " to the store.")
                    .contains("The store answered HTTP 200")
                    .contains("you will get no more cart reminder texts");
            Chromium.screenshot(phone, SCREENSHOTS, "channels-05-stop-answered");
        } finally {
            phone.quit();
        }
        SmsOptOuts optOuts = demo.storeContext().getBean("crSmsOptOuts", SmsOptOuts.class);
        assertThat(optOuts.isOptedOut(TWO.e164)).isTrue();
        assertThat(optOuts.isOptedOut(ONE.e164)).isFalse();
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE LOWER(EMAIL) = ?", Integer.class, TWO.email))
                .as("STOP is about texts only; the emails go on").isZero();
    }

    @Test
    @Order(4)
    void theOperatorSeesTheSmsStepWithItsConditionsAndPreviewsItsText() throws Exception {
        long seed = jdbc().queryForObject("SELECT ID FROM CR_CAMPAIGN WHERE NAME = ?", Long.class, DemoSeed.CAMPAIGN_NAME);
        long push = jdbc().queryForObject("SELECT ID FROM CR_CAMPAIGN WHERE NAME = ?", Long.class, DemoSeed.PUSH_CAMPAIGN_NAME);
        long smsStep = jdbc().queryForObject("SELECT ID FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = ? AND CHANNEL = 'SMS'", Long.class, seed);
        ChromeDriver admin = Chromium.newSession(work.resolve("profiles"));
        try {
            logIn(admin);
            admin.get(base + "/admin/cart-recovery-campaign-editor?id=" + seed);
            wait(admin).until(ExpectedConditions.presenceOfElementLocated(By.id("cr-campaign-form")));
            List<Step> steps = steps(admin);
            assertThat(steps).extracting(s -> s.channel).containsExactly("EMAIL", "EMAIL", "SMS", "EMAIL");
            assertThat(steps).extracting(s -> s.template).containsExactly("gentle-reminder", "value-reminder",
                    DemoSeed.SMS_TEMPLATE, "last-call");
            assertThat(steps.get(2).conditions).containsExactly("CHANNEL_CONSENT SMS", "MIN_CART_TOTAL 50 USD");
            assertThat(steps.get(0).conditions).isEmpty();
            admin.executeScript("arguments[0].scrollIntoView({block: 'start'})",
                    admin.findElements(By.cssSelector("fieldset.cr-step")).get(2));
            Chromium.screenshot(admin, SCREENSHOTS, "channels-06-editor-sms-step");

            admin.get(base + "/admin/cart-recovery-campaign-editor?id=" + push);
            wait(admin).until(ExpectedConditions.presenceOfElementLocated(By.id("cr-campaign-form")));
            assertThat(steps(admin)).extracting(s -> s.channel).containsExactly("WEBHOOK", "EMAIL", "EMAIL", "SMS", "EMAIL");

            // the SMS step on a sample cart, then on the first shopper's own cart
            admin.get(base + "/admin/cart-recovery-preview?stepId=" + smsStep + "&locale=en_US&currency=USD");
            String text = wait(admin).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".cr-preview-sms-text"))).getText();
            assertThat(text).startsWith("Demo Store: ").contains(base + "/cart-recovery/s/").endsWith("Reply STOP to opt out.");
            assertThat(admin.findElement(By.cssSelector(".cr-preview-sms-segments")).getText()).isEqualTo(SegmentCounter.segments(text)
                    + " segment(s) of at most 2 (GSM-7, " + text.length() + " characters)");
            Chromium.screenshot(admin, SCREENSHOTS, "channels-07-sms-preview");
            admin.get(base + "/admin/cart-recovery-preview?stepId=" + smsStep + "&orderId=" + ONE.orderId);
            assertThat(wait(admin).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".cr-preview-sms-text"))).getText())
                    .contains("your cart with 2 item(s) ($53.00) is saved");
        } finally {
            admin.quit();
        }
    }

    @Test
    @Order(5)
    void theBigCartGoesToThePushServiceAsASignedWebhook() throws Exception {
        awaitTrue("the big cart's webhook", Duration.ofMinutes(5), () -> {
            try {
                return new Browserless(base).get("/webhooks/messages.json").body().contains("\"orderId\":" + BIG.orderId + ",");
            } catch (Exception e) {
                return false;
            }
        });
        ChromeDriver receiver = Chromium.newSession(work.resolve("profiles"));
        try {
            receiver.get(base + "/webhooks/");
            List<String> documents = texts(receiver, "section.webhook");
            java.util.regex.Pattern order = java.util.regex.Pattern.compile("\\border " + BIG.orderId + "\\b");
            List<String> big = documents.stream().filter(d -> order.matcher(d).find()).collect(Collectors.toList());
            assertThat(big).hasSize(1);
            assertThat(big.get(0)).contains("signature valid: yes").contains("step 1").contains("\"template\" : \"push-reminder\"")
                    .contains("\"email\" : \"" + BIG.email + "\"");
            Chromium.screenshot(receiver, SCREENSHOTS, "channels-08-webhook-received");
        } finally {
            receiver.quit();
        }
    }

    @Test
    @Order(6)
    void theFirstShopperGetsExactlyOneTextWhoseShortLinkRestoresTheCart() throws Exception {
        awaitTrue("a text to the first shopper", Duration.ofMinutes(8), () -> outboxJson().contains("\"to\":\"" + ONE.e164 + "\""));
        Thread.sleep(11_000); // a person does not tap within seconds (earlier visits count as a link scanner's)

        String link;
        ChromeDriver phone = Chromium.newSession(work.resolve("profiles"));
        try {
            phone.get(base + "/sms-outbox/");
            wait(phone).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.texts")));
            @SuppressWarnings("unchecked")
            List<List<String>> rows = (List<List<String>>) phone.executeScript("return Array.from(document.querySelectorAll("
                    + "'table.texts tbody tr')).map(r => [r.cells[1].textContent, r.cells[2].textContent, r.cells[3].textContent,"
                    + " (r.querySelector('a.sms-link') || {}).href || ''])");
            List<List<String>> toOne = rows.stream().filter(r -> r.get(0).equals(ONE.e164)).collect(Collectors.toList());
            assertThat(toOne).as("texts to the first shopper: " + rows).hasSize(1);
            assertThat(rows).as("no text to the shopper who replied STOP").noneMatch(r -> r.get(0).equals(TWO.e164));
            assertThat(toOne.get(0).get(1)).startsWith("Demo Store: your cart with 2 item(s) ($53.00) is saved.")
                    .endsWith("Reply STOP to opt out.");
            assertThat(toOne.get(0).get(2)).isEqualTo(SegmentCounter.segments(toOne.get(0).get(1)) + " (GSM-7)");
            assertThat(SegmentCounter.segments(toOne.get(0).get(1))).as("within cartrecovery.sms.max-segments").isBetween(1, 2);
            link = toOne.get(0).get(3);
            assertThat(link).matches(java.util.regex.Pattern.quote(base) + "/cart-recovery/s/[A-Za-z0-9_-]{24}");
            Chromium.screenshot(phone, SCREENSHOTS, "channels-09-sms-outbox");
        } finally {
            phone.quit();
        }

        ChromeDriver otherDevice = Chromium.newSession(work.resolve("profiles")); // no cookies: the phone's browser
        try {
            otherDevice.get(link);
            wait(otherDevice).until(ExpectedConditions.urlContains("/cart"));
            assertThat(otherDevice.getCurrentUrl()).startsWith(base + "/cart").contains("utm_source=cart-recovery");
            assertThat(otherDevice.findElements(By.cssSelector(".cart-item .item-name")).stream().map(WebElement::getText))
                    .containsExactlyInAnyOrderElementsOf(ONE.productNames);
            Chromium.screenshot(otherDevice, SCREENSHOTS, "channels-10-restored-from-the-text");
        } finally {
            otherDevice.quit();
        }
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT E JOIN CR_PLANNED_MESSAGE M ON M.ID = E.PLANNED_MESSAGE_ID"
                + " WHERE M.ORDER_ID = ? AND M.CHANNEL = 'SMS' AND E.EVENT_TYPE = 'CLICKED'", Integer.class, ONE.orderId)).isEqualTo(1);
    }

    @Test
    @Order(7)
    void eachShopperGetsTheEmailsAndStopOnlyStoppedTheText() throws Exception {
        for (Shopper shopper : List.of(ONE, TWO, BIG)) {
            awaitEmail(shopper, DemoSeed.LAST_SUBJECT, Duration.ofMinutes(8));
        }
        List<String> sequence = List.of(DemoSeed.FIRST_SUBJECT, DemoSeed.COUPON_SUBJECT, DemoSeed.LAST_SUBJECT);
        ChromeDriver reader = Chromium.newSession(work.resolve("profiles"));
        try {
            reader.get(base + "/mailbox/");
            wait(reader).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.mails")));
            @SuppressWarnings("unchecked")
            List<List<String>> mails = (List<List<String>>) reader.executeScript("return Array.from(document.querySelectorAll("
                    + "'table.mails tbody tr')).map(r => [r.cells[1].textContent, r.cells[2].textContent])");
            for (Shopper shopper : List.of(ONE, TWO, BIG)) {
                assertThat(mails.stream().filter(m -> m.get(0).equals(shopper.email)).map(m -> m.get(1)))
                        .as("emails to " + shopper.email).containsExactlyInAnyOrderElementsOf(sequence);
            }
            Chromium.screenshot(reader, SCREENSHOTS, "channels-11-mailbox");
        } finally {
            reader.quit();
        }
        assertThat(messages(ONE)).containsExactly("1 EMAIL SENT", "2 EMAIL SENT", "3 SMS SENT", "4 EMAIL SENT");
        assertThat(messages(TWO)).containsExactly("1 EMAIL SENT", "2 EMAIL SENT", "3 SMS SKIPPED CHANNEL_OPT_OUT", "4 EMAIL SENT");
        assertThat(messages(BIG)).containsExactly("1 WEBHOOK SENT", "2 EMAIL SENT", "3 EMAIL SENT", "4 SMS SKIPPED CONDITION_NOT_MET",
                "5 EMAIL SENT");
        assertThat(outboxJson()).doesNotContain(TWO.e164);
    }

    @Test
    @Order(8)
    void theReportHasARowPerChannel() throws Exception {
        ChromeDriver admin = Chromium.newSession(work.resolve("profiles"));
        try {
            logIn(admin);
            Map<String, List<String>> channels = Map.of();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (Instant.now().isBefore(deadline)) { // the rollup job runs every 15 seconds
                admin.get(base + "/admin/cart-recovery-report");
                wait(admin).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.cr-channels")));
                channels = channelRows(admin);
                if (channels.containsKey("SMS") && channels.get("SMS").get(4).equals("1") && channels.containsKey("EMAIL")
                        && Integer.parseInt(channels.get("EMAIL").get(0)) >= 9) {
                    break;
                }
                Thread.sleep(5000);
            }
            assertThat(channels).as("the report's channel rows").containsKeys("EMAIL", "SMS", "WEBHOOK");
            // columns: sent, skipped, failed, opened, clicked
            assertThat(channels.get("SMS").get(0)).as("texts sent").isEqualTo("1");
            assertThat(Integer.parseInt(channels.get("SMS").get(1))).as("texts skipped (STOP, no phone)").isGreaterThanOrEqualTo(2);
            assertThat(channels.get("SMS").get(4)).as("the text's link, clicked").isEqualTo("1");
            assertThat(Integer.parseInt(channels.get("EMAIL").get(0))).as("emails sent").isGreaterThanOrEqualTo(9);
            assertThat(Integer.parseInt(channels.get("WEBHOOK").get(0))).as("webhooks sent").isGreaterThanOrEqualTo(1);
            admin.executeScript("arguments[0].scrollIntoView({block: 'center'})", admin.findElement(By.cssSelector("table.cr-channels")));
            Chromium.screenshot(admin, SCREENSHOTS, "channels-12-report-per-channel");
        } finally {
            admin.quit();
        }
    }

    // ---- the shopper's steps ----

    private static void fillCart(ChromeDriver driver, Shopper shopper) {
        for (String product : shopper.products) {
            addToCart(driver, product);
        }
    }

    private static void addToCart(ChromeDriver driver, String slug) {
        driver.get(base + "/products/" + slug);
        driver.findElement(By.id("add-to-cart-button")).click();
        wait(driver).until(ExpectedConditions.urlToBe(base + "/cart"));
    }

    /** Email and the marketing box; then the phone and its own box, when the shopper gives one. */
    private static void checkoutDetails(ChromeDriver driver, Shopper shopper) throws InterruptedException {
        driver.findElement(By.id("checkout-link")).click();
        WebElement email = wait(driver).until(ExpectedConditions.elementToBeClickable(By.id("emailAddress")));
        email.sendKeys(shopper.email);
        driver.findElement(By.id("marketingOptIn")).click();
        if (shopper.typedPhone != null) {
            driver.findElement(By.id("phone")).sendKeys(shopper.typedPhone);
            driver.findElement(By.id("smsOptIn")).click();
        }
        Thread.sleep(1000); // the snippet's debounce
    }

    /** Types a phone into Broadleaf's checkout form (no maxlength: a shopper's own page, edited), ticks the SMS box,
     *  Continue; returns the page that comes back. */
    private static String submitPhone(ChromeDriver driver, String phone) {
        driver.get(base + "/checkout");
        WebElement field = wait(driver).until(ExpectedConditions.elementToBeClickable(By.id("phone")));
        driver.executeScript("arguments[0].removeAttribute('maxlength'); arguments[0].value = arguments[1];", field, phone);
        WebElement box = driver.findElement(By.id("smsOptIn"));
        if (!box.isSelected()) {
            box.click();
        }
        WebElement email = driver.findElement(By.id("emailAddress"));
        if (email.getAttribute("value").isEmpty()) {
            email.sendKeys(PROBER);
        }
        driver.findElement(By.id("save-email")).click();
        wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.id("phone")));
        return driver.getPageSource();
    }

    /** POSTs the phone with SMS consent to the plugin's capture endpoint from the page, as the snippet does. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> capture(ChromeDriver driver, String phone) {
        return (Map<String, Object>) driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "var token = document.querySelector('input[name=\"csrfToken\"]').value;"
                + "fetch('/cart-recovery/email', {method: 'POST', credentials: 'same-origin',"
                + " headers: {'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8'},"
                + " body: 'phone=' + encodeURIComponent(arguments[0]) + '&smsConsent=true&csrfToken=' + encodeURIComponent(token)})"
                + ".then(r => r.text().then(t => done({status: r.status, body: t})))"
                + ".catch(e => done({status: -1, body: String(e)}));", phone);
    }

    // ---- the operator's pages ----

    private static void logIn(ChromeDriver driver) {
        driver.get(base + "/admin/login");
        WebElement form = wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.name("j_username")))
                .findElement(By.xpath("./ancestor::form"));
        form.findElement(By.name("j_username")).sendKeys(DemoStore.ADMIN_LOGIN);
        form.findElement(By.name("j_password")).sendKeys(DemoStore.ADMIN_PASSWORD);
        form.findElement(By.cssSelector("input[type='submit']")).click();
        wait(driver).until(Chromium.gone(form));
    }

    /** One step row of the campaign editor as shown: channel, template, and its send-time conditions in words. */
    record Step(String channel, String template, List<String> conditions) {
    }

    private static List<Step> steps(ChromeDriver admin) {
        List<Step> steps = new ArrayList<>();
        for (WebElement row : admin.findElements(By.cssSelector("fieldset.cr-step"))) {
            String stepNo = row.findElement(By.cssSelector("input[name$='.stepNo']")).getAttribute("value");
            if (stepNo.isEmpty()) {
                continue; // the blank row for a new step
            }
            List<String> conditions = new ArrayList<>();
            for (WebElement condition : row.findElements(By.cssSelector(".cr-step-condition"))) {
                String type = new Select(condition.findElement(By.cssSelector("select[name$='.type']"))).getFirstSelectedOption()
                        .getAttribute("value");
                if (type.isEmpty()) {
                    continue;
                }
                String text = condition.findElement(By.cssSelector("input[name$='.textValue']")).getAttribute("value");
                String number = condition.findElement(By.cssSelector("input[name$='.numberValue']")).getAttribute("value");
                String currency = condition.findElement(By.cssSelector("select[name$='.currencyCode']")).getAttribute("value");
                conditions.add(type + (text.isEmpty() ? "" : " " + text)
                        + (number.isEmpty() ? "" : " " + new BigDecimal(number).stripTrailingZeros().toPlainString())
                        + (currency.isEmpty() ? "" : " " + currency));
            }
            steps.add(new Step(new Select(row.findElement(By.cssSelector("select.cr-step-channel"))).getFirstSelectedOption()
                    .getAttribute("value"), row.findElement(By.cssSelector("select[name$='.template']")).getAttribute("value"),
                    conditions));
        }
        return steps;
    }

    /** The report's per-channel table: channel -> sent, skipped, failed, opened, clicked, recovered. */
    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> channelRows(ChromeDriver admin) {
        List<List<String>> rows = (List<List<String>>) admin.executeScript("return Array.from(document.querySelectorAll("
                + "'table.cr-channels tr.cr-channel')).map(r => Array.from(r.cells).map(c => c.textContent.trim()))");
        return rows.stream().collect(Collectors.toMap(r -> r.get(0), r -> r.subList(1, r.size())));
    }

    private static List<String> texts(ChromeDriver driver, String selector) {
        return driver.findElements(By.cssSelector(selector)).stream().map(WebElement::getText).collect(Collectors.toList());
    }

    // ---- the demo's side ----

    private static List<String> messages(Shopper shopper) {
        return jdbc().queryForList("SELECT STEP_NO, CHANNEL, STATUS, OUTCOME FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? ORDER BY STEP_NO",
                shopper.orderId).stream().map(m -> m.get("STEP_NO") + " " + m.get("CHANNEL") + " " + m.get("STATUS")
                        + ("SKIPPED".equals(m.get("STATUS")) ? " " + m.get("OUTCOME") : ""))
                .collect(Collectors.toList());
    }

    private static BigDecimal total(Shopper shopper) {
        return jdbc().queryForObject("SELECT TOTAL FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", BigDecimal.class, shopper.orderId);
    }

    private static long awaitCart(String email) throws InterruptedException {
        awaitTrue(email + "'s cart captured", Duration.ofSeconds(20), () -> !jdbc().queryForList(
                "SELECT ORDER_ID FROM CR_CAPTURED_CART WHERE EMAIL = ?", Long.class, email).isEmpty());
        return jdbc().queryForObject("SELECT ORDER_ID FROM CR_CAPTURED_CART WHERE EMAIL = ?", Long.class, email);
    }

    private static void awaitEmail(Shopper shopper, String subject, Duration timeout) throws InterruptedException {
        String wanted = "\"to\":\"" + shopper.email + "\",\"subject\":\"" + subject.replace("\"", "\\\"") + "\"";
        awaitTrue("'" + subject + "' to " + shopper.email, timeout, () -> {
            try {
                return new Browserless(base).get("/mailbox/messages.json").body().contains(wanted);
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static String outboxJson() {
        try {
            return new Browserless(base).get("/sms-outbox/messages.json").body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(String what, Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            Thread.sleep(1000);
        }
    }

    private static JdbcTemplate jdbc() {
        return new JdbcTemplate(demo.storeContext().getBean("crDataSource", DataSource.class));
    }

    private static WebDriverWait wait(ChromeDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A shopper of this test: what they buy and type. */
    static final class Shopper {
        final String email;
        final String typedPhone;
        final String e164;
        final List<String> products;
        final List<String> productNames;
        long orderId;

        Shopper(String email, String typedPhone, String e164, List<String> products, List<String> productNames) {
            this.email = email;
            this.typedPhone = typedPhone;
            this.e164 = e164;
            this.products = products;
            this.productNames = productNames;
        }
    }
}
