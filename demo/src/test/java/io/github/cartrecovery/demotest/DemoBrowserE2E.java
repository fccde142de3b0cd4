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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.demo.DemoOptions;
import io.github.cartrecovery.demo.DemoStore;
import io.github.cartrecovery.reporting.RecoveryReports;
import io.github.cartrecovery.reporting.ReportTotals;

/**
 * The recovery loop in a real browser (issue 7's acceptance), run by {@code mvn -B -pl demo -am verify -Pe2e}:
 * a shopper adds to cart, types an email at checkout and leaves; the second recovery email (the step with the
 * unique coupon) arrives in the mailbox; its signed restore link, opened in a fresh browser (a new profile: no
 * cookies, another device), brings the cart back with the coupon applied; the order is placed; the plugin's
 * attribution and report rollup jobs credit it, the report service shows one recovered cart and its revenue, and so
 * does the admin's "Recovery Report" page after a login as the demo admin.
 * Screenshots of every step go to {@code demo/target/e2e-screenshots/}.
 * <p>
 * Timings are the demo's (idle 1 minute, emails 1 and then 2 minutes apart, jobs every 10-15 seconds), so the
 * test takes about six minutes.
 */
class DemoBrowserE2E {

    static final Path SCREENSHOTS = Path.of("target", "e2e-screenshots");
    static final String EMAIL = "e2e-shopper@example.com";
    static final String COUPON_SUBJECT = "Still thinking? Here is 10% off your cart";

    @TempDir
    static Path work;

    static DemoStore demo;
    static String base;
    /** Debian's Prometheus scraping the demo's /cart-recovery/metrics every second (issue 20). */
    static PrometheusServer prometheus;

    @BeforeAll
    static void start() throws Exception {
        Chromium.installIfMissing();
        int port = freePort();
        demo = DemoStore.start(DemoOptions.of(port, work.resolve("data").toFile(), true, Map.of()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        base = "http://localhost:" + port;
        prometheus = PrometheusServer.scraping(port, Path.of("target", "prometheus", "run-" + System.currentTimeMillis()));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.close();
        }
        if (demo != null) {
            demo.close();
        }
    }

    /** The plugin's counters as Prometheus scraped them, by PromQL expression. */
    static final List<String> STORY = List.of("sum(cartrecovery_carts_captured_total)", "sum(cartrecovery_carts_abandoned_total)",
            "sum(cartrecovery_messages_planned_total{channel=\"email\"})", "sum(cartrecovery_messages_sent_total{channel=\"email\"})",
            "sum(cartrecovery_channel_send_seconds_count{channel=\"email\",outcome=\"accepted\"})");

    @Test
    void aLeftCartComesBackFromTheRecoveryEmailWithItsCouponAndCountsAsRecovered() throws Exception {
        Map<String, Double> before = new java.util.LinkedHashMap<>();
        for (String counter : STORY) {
            before.put(counter, prometheus.query(counter));
        }
        ChromeDriver shopper = Chromium.newSession(work.resolve("profiles"));
        try {
            shopper.get(base + "/");
            Chromium.screenshot(shopper, SCREENSHOTS, "01-products");
            shopper.findElement(By.cssSelector("a.product-link[href='/products/french-press']")).click();
            shopper.findElement(By.id("add-to-cart-button")).click();
            wait(shopper).until(ExpectedConditions.urlToBe(base + "/cart"));
            assertThat(shopper.findElement(By.cssSelector(".cart-item .item-name")).getText()).isEqualTo("French Press");
            Chromium.screenshot(shopper, SCREENSHOTS, "02-cart");

            shopper.findElement(By.id("checkout-link")).click();
            WebElement email = wait(shopper).until(ExpectedConditions.elementToBeClickable(By.id("emailAddress")));
            shopper.findElement(By.id("marketingOptIn")).click();
            email.sendKeys(EMAIL);
            email.sendKeys(Keys.TAB); // the capture snippet posts the address on blur
            Thread.sleep(1500);
            Chromium.screenshot(shopper, SCREENSHOTS, "03-checkout-email");
        } finally {
            shopper.quit(); // the shopper leaves; the browser and its cookies are gone
        }

        String restoreLink = awaitRecoveryEmail(COUPON_SUBJECT, Duration.ofMinutes(8));
        assertThat(restoreLink).startsWith(base + "/cart-recovery/restore/");
        // Prometheus saw it happen: captured, abandoned, planned, handed to SMTP and accepted
        for (String counter : STORY) {
            double was = before.get(counter);
            assertThat(prometheus.await(counter, now -> now > was, Duration.ofSeconds(30)))
                    .as("Prometheus' " + counter + " moved from " + was).isGreaterThan(was);
        }
        assertThat(prometheus.await("sum(cartrecovery_messages_sent_total{channel=\"email\"})",
                now -> now >= before.get(STORY.get(3)) + 2, Duration.ofSeconds(30))).as("both recovery emails counted")
                .isGreaterThanOrEqualTo(before.get(STORY.get(3)) + 2);
        String couponCode = jdbc().queryForObject("SELECT C.CODE FROM CR_COUPON C", String.class);
        assertThat(couponCode).matches("CR-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}");

        ChromeDriver reader = Chromium.newSession(work.resolve("profiles"));
        try {
            reader.get(base + "/mailbox/");
            Chromium.screenshot(reader, SCREENSHOTS, "04-mailbox");
            List<WebElement> mails = reader.findElements(By.cssSelector("a.mail"));
            WebElement couponMail = mails.stream().filter(a -> a.getText().contains(COUPON_SUBJECT)).findFirst()
                    .orElseThrow(() -> new AssertionError("the mailbox lists no email '" + COUPON_SUBJECT + "'"));
            couponMail.click();
            wait(reader).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("iframe.html")));
            Thread.sleep(1000);
            Chromium.screenshot(reader, SCREENSHOTS, "05-recovery-email-with-coupon");
            assertThat(reader.findElements(By.cssSelector("a.email-link")).stream().map(a -> a.getAttribute("href")))
                    .contains(restoreLink);
            assertThat(reader.getPageSource()).contains(couponCode);
        } finally {
            reader.quit();
        }

        // A person does not click within seconds of delivery: a visit within cartrecovery.tracking.scanner-window-seconds
        // (10) of sending is counted as a link-scanning gateway's (SCANNED), which earns no "recovered" credit.
        Thread.sleep(11_000);

        // A fresh browser: a new, empty Chromium profile, so no cookie ties it to the shopper's cart.
        ChromeDriver otherDevice = Chromium.newSession(work.resolve("profiles"));
        try {
            assertThat(otherDevice.manage().getCookies()).isEmpty();
            otherDevice.get(restoreLink);
            wait(otherDevice).until(ExpectedConditions.urlContains("/cart"));
            assertThat(otherDevice.getCurrentUrl()).startsWith(base + "/cart").contains("utm_source=cart-recovery");
            Chromium.screenshot(otherDevice, SCREENSHOTS, "06-restored-cart-with-coupon");
            assertThat(otherDevice.findElement(By.cssSelector(".cart-item .item-name")).getText()).isEqualTo("French Press");
            assertThat(otherDevice.findElement(By.cssSelector(".applied-coupon strong")).getText()).isEqualTo(couponCode);
            assertThat(otherDevice.findElement(By.id("total")).getText()).isEqualTo("$35.10"); // 39.00 less 10%

            otherDevice.findElement(By.id("checkout-link")).click();
            WebElement email = wait(otherDevice).until(ExpectedConditions.elementToBeClickable(By.id("emailAddress")));
            if (otherDevice.findElements(By.id("address-form")).isEmpty()) {
                // The restored cart normally keeps its captured address; without one the shopper types it again.
                email.clear();
                email.sendKeys(EMAIL);
                otherDevice.findElement(By.id("save-email")).click();
            }
            Chromium.screenshot(otherDevice, SCREENSHOTS, "07-checkout");
            placeOrder(otherDevice);
            Chromium.screenshot(otherDevice, SCREENSHOTS, "08-order-confirmation");
            assertThat(otherDevice.findElement(By.id("order-total")).getText()).isEqualTo("$35.10");
        } finally {
            otherDevice.quit();
        }

        // The plugin's jobs attribute-orders (crOrderAttribution) and roll-up-reports (crReportRollup) run every
        // 15 seconds in the demo: await the report service's answer.
        RecoveryReports reports = demo.storeContext().getBean("crRecoveryReports", RecoveryReports.class);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        ReportTotals kpis = reports.query(today.minusDays(1), today, null).getKpis();
        while (kpis.getRecoveredCarts() < 1 && Instant.now().isBefore(deadline)) {
            Thread.sleep(3000);
            kpis = reports.query(today.minusDays(1), today, null).getKpis();
        }
        assertThat(kpis.getRecoveredCarts()).as("recovered carts in the report: " + kpis).isEqualTo(1);
        assertThat(prometheus.await("sum(cartrecovery_revenue_recovered_total{currency=\"USD\"})", usd -> usd > 0,
                Duration.ofSeconds(30))).as("recovered revenue scraped by Prometheus").isEqualTo(35.10, org.assertj.core.data.Offset.offset(0.001));
        assertThat(prometheus.query("sum(cartrecovery_carts_recovered_total{currency=\"USD\"})")).isEqualTo(1);
        assertThat(kpis.getRecoveredRevenue()).containsOnlyKeys("USD");
        assertThat(kpis.getRecoveredRevenue().get("USD")).isEqualByComparingTo("35.10");
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE EVENT_TYPE = 'RECOVERED'", Integer.class))
                .isEqualTo(1);
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE EVENT_TYPE = 'COUPON_ISSUED'", Integer.class))
                .isEqualTo(1);

        // The admin's "Recovery Report" page (plugin-admin's RecoveryReportController) shows the same numbers.
        ChromeDriver admin = Chromium.newSession(work.resolve("profiles"));
        try {
            // Not signed in, the report's URL shows the admin's login form; signing in leads back to the report.
            admin.get(base + "/admin/cart-recovery-report");
            WebElement login = wait(admin).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form input[name='j_username']")))
                    .findElement(By.xpath("./ancestor::form"));
            assertThat(login.findElements(By.name("csrfToken"))).as("the login form carries Broadleaf's CSRF token").isNotEmpty();
            login.findElement(By.name("j_username")).sendKeys(DemoStore.ADMIN_LOGIN);
            login.findElement(By.name("j_password")).sendKeys(DemoStore.ADMIN_PASSWORD);
            login.findElement(By.cssSelector("input[type='submit']")).click();
            wait(admin).until(Chromium.gone(login));
            if (admin.findElements(By.cssSelector(".cart-recovery-report")).isEmpty()) {
                admin.get(base + "/admin/cart-recovery-report"); // signed in, but sent to the admin's start page
            }
            wait(admin).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".cart-recovery-report table.cr-kpis")));
            assertThat(admin.findElement(By.cssSelector(".cart-recovery-report h2")).getText()).isEqualTo("Recovery Report");
            assertThat(kpi(admin, "Recovered carts")).isEqualTo("1");
            // money as the viewer reads it: "$35.10", in the currency's own decimals
            String revenue = kpi(admin, "Recovered revenue (USD)");
            assertThat(revenue).startsWith("$");
            assertThat(new BigDecimal(revenue.substring(1).replace(",", "")))
                    .isEqualByComparingTo(kpis.getRecoveredRevenue().get("USD"));
            admin.executeScript("arguments[0].scrollIntoView({block: 'nearest'})", admin.findElement(
                    By.xpath("//table[contains(@class,'cr-kpis')]//tr[th[normalize-space(.)='Recovered revenue (USD)']]")));
            Chromium.screenshot(admin, SCREENSHOTS, "09-admin-recovery-report");
        } finally {
            admin.quit();
        }

        // The same email's unsubscribe link works on the demo's port, and its form POST passes Broadleaf's CSRF
        // filter (the demo excludes the unsubscribe paths, as a store must for one-click unsubscribe).
        String unsubscribeLink = emailLink(COUPON_SUBJECT, "/cart-recovery/unsubscribe/");
        ChromeDriver leaving = Chromium.newSession(work.resolve("profiles"));
        try {
            leaving.get(unsubscribeLink);
            Chromium.screenshot(leaving, SCREENSHOTS, "10-unsubscribe-page");
            assertThat(leaving.findElement(By.tagName("h1")).getText()).isEqualTo("Unsubscribe from cart reminders");
            leaving.findElement(By.cssSelector("form button[type='submit']")).click();
            wait(leaving).until(ExpectedConditions.textToBe(By.tagName("h1"), "You are unsubscribed"));
            Chromium.screenshot(leaving, SCREENSHOTS, "11-unsubscribed");
        } finally {
            leaving.quit();
        }
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE LOWER(EMAIL) = ? AND REASON = 'UNSUBSCRIBED'",
                Integer.class, EMAIL)).isEqualTo(1);
    }

    /** The first link starting with the demo's base URL plus this path in the shopper's email with this subject. */
    private static String emailLink(String subject, String path) throws Exception {
        String json = new Browserless(base).get("/mailbox/messages.json").body();
        Matcher matcher = Pattern.compile("\"to\":\"" + Pattern.quote(EMAIL) + "\",\"subject\":\"" + Pattern.quote(subject)
                + "\",\"links\":\\[[^\\]]*?\"(" + Pattern.quote(base + path) + "[^\"]*)\"").matcher(json);
        assertThat(matcher.find()).as("a " + path + " link in '" + subject + "': " + json).isTrue();
        return matcher.group(1).replace("\\u0026", "&");
    }

    /** The value cell of the report's KPI row with this label. */
    private static String kpi(ChromeDriver admin, String label) {
        return admin.findElement(By.xpath("//table[contains(@class,'cr-kpis')]//tr[th[normalize-space(.)='" + label + "']]/td"))
                .getText().trim();
    }

    private static JdbcTemplate jdbc() {
        return new JdbcTemplate(demo.storeContext().getBean("crDataSource", DataSource.class));
    }

    private static void placeOrder(ChromeDriver driver) {
        WebElement form = wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.id("address-form")));
        form.findElement(By.name("firstName")).sendKeys("Ada");
        form.findElement(By.name("lastName")).sendKeys("Lovelace");
        form.findElement(By.name("addressLine1")).sendKeys("1 Main Street");
        form.findElement(By.name("city")).sendKeys("Springfield");
        form.findElement(By.name("postalCode")).sendKeys("12345");
        driver.findElement(By.id("place-order")).click();
        wait(driver).until(ExpectedConditions.urlContains("/confirmation/"));
    }

    /** Polls the mailbox's JSON until the email with this subject to the shopper carries a restore link. */
    private static String awaitRecoveryEmail(String subject, Duration timeout) throws Exception {
        Browserless mailbox = new Browserless(base);
        Instant deadline = Instant.now().plus(timeout);
        Pattern restore = Pattern.compile("\"to\":\"" + Pattern.quote(EMAIL) + "\",\"subject\":\"" + Pattern.quote(subject)
                + "\",\"links\":\\[[^\\]]*?\"(" + Pattern.quote(base + "/cart-recovery/restore/") + "[^\"]*)\"");
        while (Instant.now().isBefore(deadline)) {
            Matcher matcher = restore.matcher(mailbox.get("/mailbox/messages.json").body());
            if (matcher.find()) {
                return matcher.group(1).replace("\\u0026", "&");
            }
            Thread.sleep(5000);
        }
        throw new AssertionError("no email '" + subject + "' to " + EMAIL + " within " + timeout + ": "
                + mailbox.get("/mailbox/messages.json").body());
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
}
