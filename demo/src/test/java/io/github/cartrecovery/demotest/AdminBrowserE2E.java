package io.github.cartrecovery.demotest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.demo.DemoOptions;
import io.github.cartrecovery.demo.DemoStore;
import io.github.cartrecovery.demo.seed.DemoSeed;
import io.github.cartrecovery.reporting.ReportCsv;

/**
 * The Cart Recovery admin module in a real browser (issue 6's acceptance), run by
 * {@code mvn -B verify -pl demo -am -Pe2e -Dit.test=AdminBrowserE2E}: the demo's Broadleaf admin in embedded Jetty
 * with the plugin; headless Chromium signs in through the admin's login form as the demo admin and opens every
 * screen of the module (report, campaigns list, campaign editor, abandoned carts and one cart's page, messages,
 * message events, suppression, preview and test send); creates a campaign with two steps after seeing the
 * validator's error on a bad step; exports the report's CSV; then a CSR (Broadleaf's ROLE_CUSTOMER_SERVICE_REP,
 * without the Cart Recovery permissions) signs in, has no "Cart Recovery" menu, and is refused on direct URLs.
 * The cart on the screens is a real one: a shopper leaves it at checkout and the demo's jobs send its first email.
 * Screenshots go to {@code demo/target/e2e-screenshots/admin-*.png}. Takes about four minutes.
 */
class AdminBrowserE2E {

    static final Path SCREENSHOTS = Path.of("target", "e2e-screenshots");
    static final String SHOPPER = "jane.e2e@example.com";
    static final String CAMPAIGN = "E2E two-step winback";
    static final String CLERK = "csr";
    static final String CLERK_PASSWORD = "csr-password";

    /** The demo's data and the browsers' profiles; under target/ rather than a @TempDir, because the demo's database
     *  can still write a file while JUnit deletes a temp folder after close(), failing the run (seen once). The demo
     *  empties the data folder at start (reset). */
    static final Path work = Path.of("target", "admin-e2e");

    static DemoStore demo;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Chromium.installIfMissing();
        demo = DemoStore.start(DemoOptions.of(freePort(), work.resolve("data").toFile(), true, Map.of()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        base = demo.baseUrl();
        // A customer service rep: one of Broadleaf's own roles, without PERMISSION_CARTRECOVERY (the plugin grants
        // it to ROLE_ADMIN only). The demo's password encoder is Broadleaf's plaintext default.
        jdbc().update("INSERT INTO BLC_ADMIN_USER (ADMIN_USER_ID, ACTIVE_STATUS_FLAG, EMAIL, LOGIN, NAME, PASSWORD)"
                + " VALUES (-2, TRUE, 'csr@demo-store.example', ?, 'Customer Service', ?)", CLERK, CLERK_PASSWORD);
        jdbc().update("INSERT INTO BLC_ADMIN_USER_ROLE_XREF (ADMIN_USER_ID, ADMIN_ROLE_ID)"
                + " SELECT -2, ADMIN_ROLE_ID FROM BLC_ADMIN_ROLE WHERE NAME = 'ROLE_CUSTOMER_SERVICE_REP'");
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM BLC_ADMIN_ROLE_PERMISSION_XREF x JOIN BLC_ADMIN_ROLE r"
                + " ON r.ADMIN_ROLE_ID = x.ADMIN_ROLE_ID WHERE r.NAME = 'ROLE_CUSTOMER_SERVICE_REP'"
                + " AND x.ADMIN_PERMISSION_ID IN (-8610, -8611)", Integer.class)).isZero();
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void anAdminRunsCartRecoveryFromTheAdminAndACsrIsKeptOut() throws Exception {
        long orderId = shopperLeavesACartAtCheckout();

        ChromeDriver admin = Chromium.newSession(work.resolve("profiles"));
        try {
            logIn(admin, DemoStore.ADMIN_LOGIN, DemoStore.ADMIN_PASSWORD);

            // The menu shows labels from the plugin's messages, not the raw module and section keys.
            admin.get(base + "/admin/cart-recovery-report");
            await(admin, By.cssSelector(".cart-recovery-report table.cr-kpis"));
            assertThat(menu(admin)).containsExactly("Cart Recovery", "Recovery Report", "Recovery Campaigns", "Campaign Editor", "Experiments", "Email Layout", "Email Templates", "Abandoned Carts",
                    "Recovery Messages", "Message Events", "Email Suppression", "Preview and Test Send", "Privacy Requests");
            assertThat(admin.findElement(By.cssSelector(".cart-recovery-report h2")).getText()).isEqualTo("Recovery Report");

            campaigns(admin);
            preview(admin);
            emailLayout(admin);
            suppression(admin);
            csv(admin);

            awaitFirstEmailSentAndSecondPlanned(orderId);
            carts(admin, orderId);
            messages(admin, orderId);
            report(admin);
        } finally {
            admin.quit();
        }

        ChromeDriver csr = Chromium.newSession(work.resolve("profiles"));
        try {
            logIn(csr, CLERK, CLERK_PASSWORD);
            csr.get(base + "/admin/");
            await(csr, By.id("sideMenu"));
            assertThat(menu(csr)).doesNotContain("Cart Recovery").doesNotContain("Recovery Report");
            assertThat(csr.getPageSource()).doesNotContain("cart-recovery-report").doesNotContain("CartRecovery");

            for (String path : List.of("/admin/cart-recovery-report", "/admin/cart-recovery-campaign-editor", "/admin/cart-recovery-cart",
                    "/admin/cart-recovery-cart/" + orderId, "/admin/cart-recovery-preview", "/admin/cart-recovery-campaign",
                    "/admin/cart-recovery-message", "/admin/cart-recovery-suppression", "/admin/cart-recovery-privacy",
                    "/admin/cart-recovery-email-layout")) {
                HttpResponse<String> refused = asBrowser(csr, path);
                assertThat(refused.statusCode()).as(path + " for the CSR").isNotEqualTo(200);
                assertThat(refused.body()).as(path).doesNotContain("cr-kpis").doesNotContain("j***@example.com")
                        .doesNotContain("cr-campaign-form").doesNotContain(CAMPAIGN);
            }
            HttpResponse<String> csv = asBrowser(csr, "/admin/cart-recovery-report/csv");
            assertThat(csv.statusCode()).isNotEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Type").orElse("")).doesNotStartWith("text/csv");
            csr.get(base + "/admin/cart-recovery-report");
            assertThat(csr.findElements(By.cssSelector(".cart-recovery-report"))).isEmpty();
            Chromium.screenshot(csr, SCREENSHOTS, "admin-90-csr-refused");
        } finally {
            csr.quit();
        }
    }

    /** The campaigns list, then the editor: step 1 saved, a bad step 2 refused on its field, then fixed. */
    private void campaigns(ChromeDriver admin) throws Exception {
        admin.get(base + "/admin/cart-recovery-campaign");
        await(admin, By.cssSelector("table"));
        assertThat(admin.getPageSource()).contains(DemoSeed.CAMPAIGN_NAME);
        Chromium.screenshot(admin, SCREENSHOTS, "admin-10-campaigns");

        admin.get(base + "/admin/cart-recovery-campaign-editor");
        WebElement form = await(admin, By.id("cr-campaign-form"));
        type(form, "name", CAMPAIGN);
        new org.openqa.selenium.support.ui.Select(form.findElement(By.name("status"))).selectByValue("DISABLED");
        type(form, "priority", "3");
        type(form, "steps[0].stepNo", "1");
        type(form, "steps[0].delay", "1");
        choose(form, "steps[0].delayUnit", "HOURS");
        choose(form, "steps[0].template", "gentle-reminder");
        type(form, "steps[0].subjects[0].locale", "*");
        type(form, "steps[0].subjects[0].text", "Still thinking it over?");
        admin.findElement(By.id("cr-campaign-save")).click();
        await(admin, By.cssSelector(".cr-saved"));
        Long id = jdbc().queryForObject("SELECT ID FROM CR_CAMPAIGN WHERE NAME = ?", Long.class, CAMPAIGN);

        // The saved campaign comes back with a blank row for a second step: a negative delay is refused on its field.
        form = await(admin, By.id("cr-campaign-form"));
        type(form, "steps[1].stepNo", "2");
        type(form, "steps[1].delay", "-5");
        choose(form, "steps[1].template", "last-call");
        type(form, "steps[1].subjects[0].locale", "*");
        type(form, "steps[1].subjects[0].text", "Last call");
        admin.findElement(By.id("cr-campaign-save")).click();
        WebElement error = await(admin, By.xpath("(//fieldset[contains(@class,'cr-step')])[2]//li[contains(@class,'cr-field-error')]"));
        assertThat(error.getText()).contains("Step 2, delay (minutes): must not be negative (was -5)");
        assertThat(admin.findElements(By.cssSelector(".cr-saved"))).isEmpty();
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = ?", Integer.class, id)).isEqualTo(1);
        admin.executeScript("arguments[0].scrollIntoView({block: 'center'})", error);
        Chromium.screenshot(admin, SCREENSHOTS, "admin-11-campaign-editor-error");

        form = admin.findElement(By.id("cr-campaign-form"));
        type(form, "steps[1].delay", "1");
        choose(form, "steps[1].delayUnit", "DAYS");
        admin.findElement(By.id("cr-campaign-save")).click();
        await(admin, By.cssSelector(".cr-saved"));
        assertThat(jdbc().queryForList("SELECT TEMPLATE FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = ? ORDER BY STEP_NO", String.class, id))
                .containsExactly("gentle-reminder", "last-call");
        assertThat(jdbc().queryForList("SELECT DELAY_MINUTES FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = ? ORDER BY STEP_NO", Integer.class, id))
                .containsExactly(60, 1440);
        assertThat(admin.findElements(By.cssSelector("fieldset.cr-step"))).hasSize(3); // two steps and a blank row
        Chromium.screenshot(admin, SCREENSHOTS, "admin-12-campaign-editor");

        // The menu's "Campaign Editor" opens an empty form; its picker opens any campaign.
        admin.findElement(By.xpath("//nav[@id='sideMenu']//a[normalize-space(.)='Campaign Editor']")).click();
        WebElement picker = await(admin, By.cssSelector("form.cr-campaign-picker select[name='id']"));
        assertThat(admin.findElement(By.name("name")).getAttribute("value")).isEmpty();
        new org.openqa.selenium.support.ui.Select(picker).selectByVisibleText(CAMPAIGN);
        admin.findElement(By.id("cr-campaign-open")).click();
        new WebDriverWait(admin, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains("?id=" + id));
        assertThat(await(admin, By.name("name")).getAttribute("value")).isEqualTo(CAMPAIGN);
        assertThat(admin.findElement(By.name("steps[1].delay")).getAttribute("value")).isEqualTo("1");
        assertThat(new org.openqa.selenium.support.ui.Select(admin.findElement(By.name("steps[1].delayUnit")))
                .getFirstSelectedOption().getAttribute("value")).isEqualTo("DAYS");
    }

    /** The first step of the demo campaign on a sample cart, then a test send that arrives in the mailbox. */
    private void preview(ChromeDriver admin) throws Exception {
        Long stepId = jdbc().queryForObject("SELECT s.ID FROM CR_CAMPAIGN_STEP s JOIN CR_CAMPAIGN c ON c.ID = s.CAMPAIGN_ID"
                + " WHERE c.NAME = ? AND s.STEP_NO = 1", Long.class, DemoSeed.CAMPAIGN_NAME);
        admin.get(base + "/admin/cart-recovery-preview?stepId=" + stepId + "&locale=en_US&currency=USD");
        assertThat(await(admin, By.cssSelector(".cr-preview-subject")).getText()).isEqualTo("You left something in your cart");
        assertThat(admin.findElement(By.cssSelector("iframe.cr-preview-html")).getAttribute("sandbox")).isEmpty();
        Chromium.screenshot(admin, SCREENSHOTS, "admin-20-preview");

        WebElement to = admin.findElement(By.name("to"));
        to.sendKeys("marketing@example.com");
        to.submit();
        assertThat(await(admin, By.cssSelector(".cr-sent")).getText()).isEqualTo("Test sent to marketing@example.com.");
        String mailbox = new Browserless(base).get("/mailbox/messages.json").body();
        assertThat(mailbox).contains("\"to\":\"marketing@example.com\",\"subject\":\"[TEST] You left something in your cart\"");
    }

    /**
     * Email Layout: the properties show as placeholders; a refused colour is named next to its field; Preview renders the
     * typed values in a sandboxed frame without saving; Save keeps them, and emptying the field gives the property back.
     */
    private void emailLayout(ChromeDriver admin) throws Exception {
        admin.get(base + "/admin/cart-recovery-email-layout");
        WebElement address = await(admin, By.name("cartrecovery.email.postal-address"));
        assertThat(address.getAttribute("placeholder")).contains("12 Roastery Lane");
        WebElement colour = admin.findElement(By.name("cartrecovery.email.brand-colour"));
        colour.sendKeys("blue");
        address.sendKeys("1 Harbour Road, Portland, OR 97209, USA");
        admin.findElement(By.cssSelector(".cr-email-layout-form button.primary")).click();
        assertThat(await(admin, By.cssSelector(".cr-email-layout-form .cr-error")).getText()).contains("#rrggbb");
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM CR_EMAIL_LAYOUT", Integer.class)).isZero();

        colour = admin.findElement(By.name("cartrecovery.email.brand-colour"));
        colour.clear();
        colour.sendKeys("#6b3e26");
        admin.findElement(By.cssSelector(".cr-email-layout-form button:not(.primary)")).click();
        WebElement frame = await(admin, By.cssSelector("iframe.cr-preview-html"));
        assertThat(frame.getAttribute("sandbox")).isEmpty();
        assertThat(frame.getAttribute("srcdoc")).contains("1 Harbour Road, Portland").contains("#6b3e26");
        Chromium.screenshot(admin, SCREENSHOTS, "admin-25-email-layout");
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM CR_EMAIL_LAYOUT", Integer.class)).as("a preview saves nothing").isZero();

        admin.findElement(By.cssSelector(".cr-email-layout-form button.primary")).click();
        assertThat(await(admin, By.cssSelector(".cr-saved")).getText()).startsWith("Saved");
        assertThat(jdbc().queryForObject("SELECT POSTAL_ADDRESS FROM CR_EMAIL_LAYOUT", String.class))
                .isEqualTo("1 Harbour Road, Portland, OR 97209, USA");

        // back to the demo's properties, so the rest of the run sees the usual emails
        admin.findElement(By.name("cartrecovery.email.postal-address")).clear();
        admin.findElement(By.name("cartrecovery.email.brand-colour")).clear();
        admin.findElement(By.cssSelector(".cr-email-layout-form button.primary")).click();
        await(admin, By.cssSelector(".cr-saved"));
        assertThat(jdbc().queryForObject("SELECT POSTAL_ADDRESS FROM CR_EMAIL_LAYOUT", String.class)).isNull();
    }

    /** Broadleaf's generic screen: add an address, find it by a search, remove it. */
    private void suppression(ChromeDriver admin) throws Exception {
        admin.get(base + "/admin/cart-recovery-suppression");
        await(admin, By.cssSelector("table"));
        Chromium.screenshot(admin, SCREENSHOTS, "admin-30-suppression");

        admin.get(base + "/admin/cart-recovery-suppression/add");
        WebElement email = await(admin, field("email"));
        email.sendKeys("blocked.e2e@example.com");
        admin.findElement(field("reason")).sendKeys("MANUAL");
        admin.findElement(field("source")).sendKeys("admin e2e");
        admin.executeScript("arguments[0].form.submit()", email);
        new WebDriverWait(admin, Duration.ofSeconds(30)).until(ExpectedConditions.urlMatches("/cart-recovery-suppression/\\d+$"));
        Long id = jdbc().queryForObject("SELECT ID FROM CR_SUPPRESSION WHERE EMAIL = 'blocked.e2e@example.com'", Long.class);
        assertThat(admin.getCurrentUrl()).endsWith("/cart-recovery-suppression/" + id);

        admin.get(base + "/admin/cart-recovery-suppression?email=blocked.e2e");
        await(admin, By.cssSelector("table"));
        // found, and shown masked: the demo admin does not hold PERMISSION_CARTRECOVERY_PERSONAL_DATA
        assertThat(admin.getPageSource()).contains("b***@example.com").doesNotContain("blocked.e2e@example.com");
        admin.get(base + "/admin/cart-recovery-suppression?email=nobody-like-this");
        await(admin, By.cssSelector("table"));
        assertThat(admin.getPageSource()).doesNotContain("blocked.e2e@example.com");

        // Remove: the entity page's Delete button (Broadleaf's script posts the entity form to .../delete).
        admin.get(base + "/admin/cart-recovery-suppression/" + id);
        await(admin, By.cssSelector("button.delete-button")).click();
        new WebDriverWait(admin, Duration.ofSeconds(30)).until(ExpectedConditions.urlMatches("/cart-recovery-suppression$"));
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = 'blocked.e2e@example.com'", Integer.class)).isZero();
    }

    /** The report's CSV link, fetched with the admin's session: a CSV with the documented header row. */
    private void csv(ChromeDriver admin) throws Exception {
        admin.get(base + "/admin/cart-recovery-report");
        String href = await(admin, By.id("cr-report-csv")).getAttribute("href");
        assertThat(href).startsWith(base + "/admin/cart-recovery-report/csv?from=");
        HttpResponse<String> csv = asBrowser(admin, href.substring(base.length()));
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment; filename=\"cart-recovery-report-");
        assertThat(csv.body().lines().findFirst().orElse("")).isEqualTo(String.join(",", ReportCsv.HEADER));
    }

    /** The Abandoned Carts list (masked address, value, next message; status and date filters) and the cart's page. */
    private void carts(ChromeDriver admin, long orderId) throws Exception {
        Timestamp nextDue = jdbc().queryForObject("SELECT MIN(DUE_AT) FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STATUS = 'PLANNED'",
                Timestamp.class, orderId);
        String status = jdbc().queryForObject("SELECT STATUS FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class, orderId);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        admin.get(base + "/admin/cart-recovery-cart?status=" + status + "&from=" + today.minusDays(1) + "&to=" + today);
        WebElement row = await(admin, By.cssSelector("tr.cr-cart[data-order-id='" + orderId + "']"));
        assertThat(row.findElement(By.cssSelector(".cr-cart-email")).getText()).isEqualTo("j***@example.com");
        assertThat(row.findElement(By.cssSelector(".cr-cart-status")).getText()).isEqualTo(status);
        assertThat(row.findElement(By.cssSelector(".cr-cart-value")).getText()).isEqualTo("$39.00");
        assertThat(row.findElement(By.cssSelector(".cr-cart-next")).getText()).isEqualTo(utc("yyyy-MM-dd HH:mm", nextDue));
        assertThat(admin.getPageSource()).doesNotContain(SHOPPER);
        Chromium.screenshot(admin, SCREENSHOTS, "admin-40-abandoned-carts");

        admin.get(base + "/admin/cart-recovery-cart?status=PURCHASED&from=" + today.minusDays(1) + "&to=" + today);
        await(admin, By.cssSelector("table.cr-carts"));
        assertThat(admin.findElements(By.cssSelector("tr.cr-cart[data-order-id='" + orderId + "']"))).isEmpty();
        admin.get(base + "/admin/cart-recovery-cart?from=" + today.minusDays(30) + "&to=" + today.minusDays(2));
        await(admin, By.cssSelector("table.cr-carts"));
        assertThat(admin.findElements(By.cssSelector("tr.cr-cart[data-order-id='" + orderId + "']"))).isEmpty();

        admin.get(base + "/admin/cart-recovery-cart");
        await(admin, By.cssSelector("tr.cr-cart[data-order-id='" + orderId + "'] a.cr-cart-link")).click();
        await(admin, By.cssSelector(".cart-recovery-cart .cr-cart-facts"));
        List<String> messageStatuses = admin.findElements(By.cssSelector(".cr-message .cr-message-status")).stream()
                .map(WebElement::getText).collect(Collectors.toList());
        assertThat(messageStatuses).contains("SENT", "PLANNED");
        WebElement sent = admin.findElements(By.cssSelector(".cr-message")).get(messageStatuses.indexOf("SENT"));
        assertThat(sent.findElements(By.cssSelector(".cr-event-type")).stream().map(WebElement::getText))
                .contains("PLANNED", "SENT");
        assertThat(admin.getPageSource()).doesNotContain(SHOPPER);
        Chromium.screenshot(admin, SCREENSHOTS, "admin-41-abandoned-cart");
    }

    /** Broadleaf's generic screens over the same messages and their events. */
    private void messages(ChromeDriver admin, long orderId) throws Exception {
        admin.get(base + "/admin/cart-recovery-message");
        await(admin, By.cssSelector("table"));
        assertThat(admin.getPageSource()).contains(String.valueOf(orderId)).contains("SENT").contains("PLANNED");
        Chromium.screenshot(admin, SCREENSHOTS, "admin-50-messages");
        Long messageId = jdbc().queryForObject("SELECT MIN(ID) FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STATUS = 'SENT'", Long.class, orderId);
        admin.get(base + "/admin/cart-recovery-message/" + messageId);
        await(admin, By.cssSelector("form"));
        assertThat(admin.getPageSource()).contains("SENT");

        admin.get(base + "/admin/cart-recovery-event");
        await(admin, By.cssSelector("table"));
        assertThat(admin.getPageSource()).contains("SENT").contains("PLANNED");
        Chromium.screenshot(admin, SCREENSHOTS, "admin-51-message-events");
    }

    /** The report page after the cart's first email: KPIs, the uPlot daily chart with its legend, the funnel. */
    private void report(ChromeDriver admin) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        String sent = "0";
        while (Instant.now().isBefore(deadline)) { // the rollup job runs every 15 seconds
            admin.get(base + "/admin/cart-recovery-report");
            sent = await(admin, By.cssSelector(".cr-kpi-sent")).getText();
            if (!"0".equals(sent)) {
                break;
            }
            Thread.sleep(5000);
        }
        assertThat(Integer.parseInt(sent)).isGreaterThanOrEqualTo(1);
        await(admin, By.cssSelector("#cr-daily-chart .uplot canvas"));
        assertThat(admin.findElements(By.cssSelector("#cr-daily-chart .u-legend .u-label")))
                .extracting(WebElement::getText).contains("sent", "opened", "clicked", "recovered");
        assertThat(admin.findElements(By.cssSelector("table.cr-funnel tr.cr-funnel-step"))).isNotEmpty();
        Chromium.screenshot(admin, SCREENSHOTS, "admin-60-recovery-report");
    }

    /** A shopper adds a French Press, gives an address at checkout and leaves; returns the cart's order id. */
    private static long shopperLeavesACartAtCheckout() throws Exception {
        Browserless shopper = new Browserless(base);
        String product = shopper.get("/products/french-press").body();
        shopper.post("/cart/add", product, Map.of("productId", hidden(product, "productId"), "skuId", hidden(product, "skuId"), "quantity", "1"));
        String checkout = shopper.get("/checkout").body();
        shopper.post("/checkout/email", checkout, Map.of("emailAddress", SHOPPER));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            List<Long> ids = jdbc().queryForList("SELECT ORDER_ID FROM CR_CAPTURED_CART WHERE EMAIL = ?", Long.class, SHOPPER);
            if (!ids.isEmpty()) {
                return ids.get(0);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the shopper's cart was not captured");
    }

    /** The demo abandons a cart after a minute and sends its emails 1, 2 and 3 minutes later. */
    private static void awaitFirstEmailSentAndSecondPlanned(long orderId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (Instant.now().isBefore(deadline)) {
            int sent = jdbc().queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STATUS = 'SENT'", Integer.class, orderId);
            int planned = jdbc().queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STATUS = 'PLANNED'", Integer.class, orderId);
            if (sent >= 1 && planned >= 1) {
                return;
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("no sent and planned messages for cart " + orderId + ": "
                + jdbc().queryForList("SELECT STEP_NO, STATUS, DUE_AT FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?", orderId));
    }

    /** Signs in through the admin's own login form (with Broadleaf's CSRF token). */
    private static void logIn(ChromeDriver driver, String login, String password) {
        driver.get(base + "/admin/login");
        WebElement form = await(driver, By.cssSelector("form input[name='j_username']")).findElement(By.xpath("./ancestor::form"));
        assertThat(form.findElements(By.name("csrfToken"))).isNotEmpty();
        form.findElement(By.name("j_username")).sendKeys(login);
        form.findElement(By.name("j_password")).sendKeys(password);
        form.findElement(By.cssSelector("input[type='submit']")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(Chromium.gone(form));
        assertThat(driver.getCurrentUrl()).doesNotContain("login_error");
        assertThat(driver.getCurrentUrl()).as("signing in from the sign-in page lands in the admin").doesNotEndWith("/login");
        driver.get(base + "/admin/");
        assertThat(driver.getPageSource()).as("signed in as " + login).contains("adminLogout");
    }

    /** The left menu's module titles and section links, as rendered (hidden sections included). */
    private static List<String> menu(ChromeDriver driver) {
        return driver.findElements(By.cssSelector("#sideMenu li.blc-module")).stream()
                .filter(module -> module.getAttribute("textContent").contains("Cart Recovery")
                        || module.getAttribute("textContent").contains("CartRecovery"))
                .flatMap(module -> java.util.stream.Stream.concat(
                        module.findElements(By.cssSelector(".title h5")).stream(),
                        module.findElements(By.cssSelector(".content a")).stream()))
                .map(e -> e.getAttribute("textContent").trim())
                .collect(Collectors.toList());
    }

    /** A GET with the browser's admin session cookie (for what a browser downloads rather than shows). */
    private static HttpResponse<String> asBrowser(ChromeDriver driver, String path) throws IOException, InterruptedException {
        String cookies = driver.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build().send(
                HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookies).header("User-Agent", Chromium.USER_AGENT)
                        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An input of Broadleaf's entity form (named fields['x'].value). */
    private static By field(String name) {
        return By.cssSelector("[name=\"fields['" + name + "'].value\"]");
    }

    private static void choose(WebElement form, String name, String value) {
        new org.openqa.selenium.support.ui.Select(form.findElement(By.name(name))).selectByValue(value);
    }

    private static void type(WebElement form, String name, String value) {
        WebElement field = form.findElement(By.name(name));
        field.clear();
        field.sendKeys(value);
    }

    private static WebElement await(ChromeDriver driver, By what) {
        return new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(what));
    }

    private static String utc(String pattern, Timestamp at) {
        SimpleDateFormat format = new SimpleDateFormat(pattern);
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        return format.format(at);
    }

    private static String hidden(String page, String name) {
        Matcher matcher = Pattern.compile("name=\"" + name + "\" value=\"(\\d+)\"").matcher(page);
        assertThat(matcher.find()).as("hidden field " + name).isTrue();
        return matcher.group(1);
    }

    private static JdbcTemplate jdbc() {
        return new JdbcTemplate(demo.storeContext().getBean("crDataSource", DataSource.class));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
