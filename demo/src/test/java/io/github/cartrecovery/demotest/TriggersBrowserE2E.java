package io.github.cartrecovery.demotest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.demo.seed.DemoSeed;

/**
 * Issue 19: every trigger tried in the demo store, in headless Chromium, through the store's own pages (Broadleaf's
 * registration, cart and checkout) and Broadleaf's own admin, with the demo's own settings (docs/demo.md: the watch job
 * every 15 s, browse idle 1 minute, post-purchase step 1 minute):
 * <ol>
 * <li>shoppers: A registers (a name with markup) and leaves French Press in the cart at checkout; B, a guest, leaves
 * Cold Brew Kit with an email; C, registered with a name carrying markup, views two product pages and adds nothing;
 * D, registered, views a product and adds it to the cart; E buys French Press and Morning Blend Coffee;</li>
 * <li>once A's and B's carts are in recovery the operator lowers French Press's retail price 39.00 to 29.00 in
 * Broadleaf's SKU editor, and sets Cold Brew Kit's inventory type Unavailable, then (once the watch saw it) Always
 * Available;</li>
 * <li>the mailbox: within a minute of the save exactly one price-drop alert to A with the old and new price and a
 * restore link that brings the cart back in another browser, still one after later watch runs; exactly one
 * back-in-stock alert to B; one browse email to C listing both viewed products, none to D; one post-purchase email to E
 * with recommendations and neither bought product; no markup from a name in any of them.</li>
 * </ol>
 * Screenshots go to {@code demo/target/e2e-screenshots/triggers-*}; the admin price edit and the price-drop email also
 * to {@code docs/images}. Takes about four minutes on an idle machine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TriggersBrowserE2E {

    static final Path SCREENSHOTS = Path.of("target", "e2e-screenshots");
    static final Path DOCS_IMAGES = Path.of("..", "docs", "images");
    /** Broadleaf's rule: 4 to 15 letters or digits. */
    static final String PASSWORD = "Triggers2e2e1";
    static final String HOSTILE = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=1\">";

    static final String A = "trig-price@example.com";
    static final String B = "trig-stock@example.com";
    static final String C = "trig-browse@example.com";
    static final String D = "trig-browse-adds@example.com";
    static final String E = "trig-bought@example.com";

    @TempDir
    static Path work;

    static DemoUnderTest demo;
    static String base;
    static Instant priceSaved;
    /** Later steps wait on these; a failed earlier step skips them instead of waiting out their timeouts. */
    static boolean shoppersDone;
    static boolean editsDone;

    @BeforeAll
    static void start() throws Exception {
        Chromium.installIfMissing();
        demo = DemoUnderTest.start(work, Map.of());
        base = demo.base;
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    @Order(1)
    void shoppersLeaveViewBrowseAndBuy() throws Exception {
        ChromeDriver a = Chromium.newSession(work.resolve("profiles"));
        try {
            register(a, A, HOSTILE, "<b>Lovelace</b>");
            addToCart(a, "french-press");
            leaveEmailAtCheckout(a, A);
        } finally {
            a.quit();
        }
        ChromeDriver b = Chromium.newSession(work.resolve("profiles"));
        try {
            addToCart(b, "cold-brew-kit");
            leaveEmailAtCheckout(b, B);
        } finally {
            b.quit();
        }
        ChromeDriver c = Chromium.newSession(work.resolve("profiles"));
        try {
            register(c, C, HOSTILE, "Browser");
            c.get(base + "/products/sencha-green-tea");
            c.get(base + "/products/earl-grey-tea");
            Chromium.screenshot(c, SCREENSHOTS, "triggers-01-browsing");
        } finally {
            c.quit();
        }
        ChromeDriver d = Chromium.newSession(work.resolve("profiles"));
        try {
            register(d, D, "Dana", "Adds");
            d.get(base + "/products/espresso-beans");
            Thread.sleep(1500);
            addToCart(d, "espresso-beans");
        } finally {
            d.quit();
        }
        ChromeDriver e = Chromium.newSession(work.resolve("profiles"));
        try {
            addToCart(e, "french-press");
            addToCart(e, "morning-blend-coffee");
            leaveEmailAtCheckout(e, E);
            WebElement form = await(e, By.id("address-form"));
            form.findElement(By.name("firstName")).sendKeys("Eve");
            form.findElement(By.name("lastName")).sendKeys("Buyer");
            form.findElement(By.name("addressLine1")).sendKeys("1 Main Street");
            form.findElement(By.name("city")).sendKeys("Springfield");
            form.findElement(By.name("postalCode")).sendKeys("12345");
            e.findElement(By.id("place-order")).click();
            wait(e).until(ExpectedConditions.urlContains("/confirmation/"));
        } finally {
            e.quit();
        }
        shoppersDone = true;
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM BLC_PRODUCT WHERE DEFAULT_CATEGORY_ID IS NULL", Integer.class))
                .as("every product has the default category Broadleaf's product editor requires").isZero();
    }

    @Test
    @Order(2)
    void theOperatorLowersAPriceAndTakesAnItemOutOfStockAndBackInBroadleafsProductEditor() throws Exception {
        Assumptions.assumeTrue(shoppersDone);
        for (String email : List.of(A, B)) {
            awaitTrue(email + "'s cart in recovery", Duration.ofMinutes(3), () -> !jdbc().queryForList(
                    "SELECT ORDER_ID FROM CR_CAPTURED_CART WHERE EMAIL = ? AND STATUS = 'IN_RECOVERY'", Long.class, email).isEmpty());
        }
        ChromeDriver admin = Chromium.newSession(work.resolve("profiles"));
        try {
            demo.logInAsAdmin(admin);
            openSku(admin, "French Press");
            WebElement price = field(admin, "retailPrice");
            assertThat(price.getAttribute("value")).isEqualTo("39.00");
            price.clear();
            price.sendKeys("29.00");
            admin.executeScript("arguments[0].scrollIntoView({block: 'center'})", price);
            Chromium.screenshot(admin, SCREENSHOTS, "triggers-02-admin-price-edit");
            save(admin);
            assertThat(admin.findElement(By.cssSelector("#headerFlashAlertBox")).getText()).contains("Successfully saved");
            assertThat(awaitSku("RETAIL_PRICE", "French Press", "29")).as("Broadleaf wrote the new price").isTrue();
            priceSaved = Instant.now();

            openSku(admin, "Cold Brew Kit");
            setInventoryType(admin, "UNAVAILABLE");
            save(admin);
            assertThat(awaitSku("INVENTORY_TYPE", "Cold Brew Kit", "UNAVAILABLE")).isTrue();
            awaitTrue("the watch sees Cold Brew Kit out of stock", Duration.ofSeconds(60), () -> jdbc().queryForObject(
                    "SELECT COUNT(*) FROM CR_ITEM_OUT_OF_STOCK", Integer.class) == 1);
            openSku(admin, "Cold Brew Kit");
            setInventoryType(admin, "ALWAYS_AVAILABLE");
            save(admin);
            assertThat(awaitSku("INVENTORY_TYPE", "Cold Brew Kit", "ALWAYS_AVAILABLE")).isTrue();
        } finally {
            admin.quit();
        }
        editsDone = true;
    }

    @Test
    @Order(3)
    void exactlyOnePriceDropAlertWithinAMinuteWhoseRestoreLinkWorks() throws Exception {
        Assumptions.assumeTrue(editsDone);
        Mail alert = awaitMail(A, DemoSeed.PRICE_DROP_SUBJECT, Duration.ofSeconds(60));
        assertThat(Duration.between(priceSaved, Instant.now())).as("within a minute of the save").isLessThan(Duration.ofSeconds(60));
        String html = html(alert);
        assertThat(html).contains("French Press").contains("$29.00").contains("$39.00");
        assertNoMarkupFrom(html);
        String restore = alert.links.stream().filter(l -> l.startsWith(base + "/cart-recovery/restore/")).findFirst()
                .orElseThrow(() -> new AssertionError("no restore link in " + alert.links));

        ChromeDriver reader = Chromium.newSession(work.resolve("profiles"));
        try {
            reader.get(base + "/mailbox/message/" + alert.index);
            await(reader, By.cssSelector("iframe.html"));
            Thread.sleep(1000);
            Chromium.screenshot(reader, SCREENSHOTS, "triggers-03-price-drop-email");
        } finally {
            reader.quit();
        }
        Thread.sleep(30_000); // two more watch runs (every 15 s): no second alert
        assertThat(mails(A, DemoSeed.PRICE_DROP_SUBJECT)).as("price-drop alerts to A").hasSize(1);
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM CR_TRIGGER_EVENT WHERE TRIGGER_TYPE = 'PRICE_DROP'", Integer.class))
                .isEqualTo(1);

        ChromeDriver otherDevice = Chromium.newSession(work.resolve("profiles"));
        try {
            otherDevice.get(restore);
            wait(otherDevice).until(ExpectedConditions.urlContains("/cart"));
            assertThat(otherDevice.findElements(By.cssSelector(".cart-item .item-name")).stream().map(WebElement::getText))
                    .containsExactly("French Press");
            assertThat(otherDevice.findElement(By.id("total")).getText()).isEqualTo("$29.00");
            Chromium.screenshot(otherDevice, SCREENSHOTS, "triggers-04-restored-at-the-new-price");
        } finally {
            otherDevice.quit();
        }
        Files.createDirectories(DOCS_IMAGES);
        Files.copy(SCREENSHOTS.resolve("triggers-02-admin-price-edit.png"), DOCS_IMAGES.resolve("triggers-admin-price-edit.png"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(SCREENSHOTS.resolve("triggers-03-price-drop-email.png"), DOCS_IMAGES.resolve("triggers-price-drop-email.png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(4)
    void exactlyOneBackInStockAlert() throws Exception {
        Assumptions.assumeTrue(editsDone);
        Mail alert = awaitMail(B, DemoSeed.BACK_IN_STOCK_SUBJECT, Duration.ofSeconds(60));
        assertThat(html(alert)).contains("Cold Brew Kit");
        Thread.sleep(16_000);
        assertThat(mails(B, DemoSeed.BACK_IN_STOCK_SUBJECT)).hasSize(1);
        assertThat(mails(B, DemoSeed.PRICE_DROP_SUBJECT)).isEmpty();
    }

    @Test
    @Order(5)
    void oneBrowseEmailWithTheViewedProductsAndNoneToTheShopperWhoAddedToTheCart() throws Exception {
        Assumptions.assumeTrue(shoppersDone);
        Mail browse = awaitMail(C, DemoSeed.BROWSE_SUBJECT, Duration.ofSeconds(90));
        String html = html(browse);
        assertThat(html).contains("Earl Grey Tea").contains("Sencha Green Tea").doesNotContain("Espresso Beans");
        assertNoMarkupFrom(html);
        ChromeDriver reader = Chromium.newSession(work.resolve("profiles"));
        try {
            reader.get(base + "/mailbox/message/" + browse.index + ".html");
            Thread.sleep(500);
            assertNothingRan(reader);
            Chromium.screenshot(reader, SCREENSHOTS, "triggers-05-browse-email");
        } finally {
            reader.quit();
        }
        awaitTrue("D's browse session decided", Duration.ofSeconds(90), () -> jdbc().queryForList(
                "SELECT STATUS FROM CR_BROWSE_SESSION WHERE EMAIL = ?", String.class, D).stream().noneMatch("BROWSING"::equals));
        Thread.sleep(12_000); // one more delivery run
        assertThat(mails(D, DemoSeed.BROWSE_SUBJECT)).as("browse emails to D, who added the product").isEmpty();
        assertThat(mails(C, DemoSeed.BROWSE_SUBJECT)).hasSize(1);
    }

    @Test
    @Order(6)
    void onePostPurchaseFollowUpWithRecommendationsAndNeverTheBoughtItems() throws Exception {
        Assumptions.assumeTrue(shoppersDone);
        Mail followUp = awaitMail(E, DemoSeed.FOLLOW_UP_SUBJECT, Duration.ofSeconds(90));
        String html = html(followUp);
        assertThat(html).contains("Hand Grinder").doesNotContain("French Press").doesNotContain("Morning Blend Coffee");
        assertNoMarkupFrom(html);
        Thread.sleep(12_000);
        assertThat(mails(E, DemoSeed.FOLLOW_UP_SUBJECT)).hasSize(1);
        for (Mail mail : allMails()) {
            assertNoMarkupFrom(html(mail));
        }
    }

    // ---- the shoppers' pages ----

    private static void register(ChromeDriver driver, String email, String firstName, String lastName) {
        driver.get(base + "/register");
        WebElement form = await(driver, By.name("customer.emailAddress")).findElement(By.xpath("./ancestor::form"));
        form.findElement(By.name("customer.emailAddress")).sendKeys(email);
        form.findElement(By.name("customer.firstName")).sendKeys(firstName);
        form.findElement(By.name("customer.lastName")).sendKeys(lastName);
        form.findElement(By.name("password")).sendKeys(PASSWORD);
        form.findElement(By.name("passwordConfirm")).sendKeys(PASSWORD);
        driver.findElement(By.id("register")).click();
        wait(driver).until(ExpectedConditions.or(ExpectedConditions.urlContains("/cart"),
                ExpectedConditions.presenceOfElementLocated(By.id("register-problems"))));
        assertThat(driver.findElements(By.id("register-problems")).stream().map(WebElement::getText)).as("registration problems")
                .isEmpty();
        assertNothingRan(driver);
    }

    private static void addToCart(ChromeDriver driver, String slug) {
        driver.get(base + "/products/" + slug);
        driver.findElement(By.id("add-to-cart-button")).click();
        wait(driver).until(ExpectedConditions.urlToBe(base + "/cart"));
    }

    /** Broadleaf's checkout: the email with the marketing box, Continue. */
    private static void leaveEmailAtCheckout(ChromeDriver driver, String email) {
        driver.findElement(By.id("checkout-link")).click();
        WebElement field = wait(driver).until(ExpectedConditions.elementToBeClickable(By.id("emailAddress")));
        field.clear();
        field.sendKeys(email);
        WebElement marketing = driver.findElement(By.id("marketingOptIn"));
        if (!marketing.isSelected()) {
            marketing.click();
        }
        driver.findElement(By.id("save-email")).click();
        await(driver, By.id("address-form"));
    }

    private static void assertNothingRan(ChromeDriver driver) {
        assertThat(driver.executeScript("return window.pwned === undefined && !document.querySelector('img[src=\"x\"]')"))
                .as("no markup from a name ran on " + driver.getCurrentUrl()).isEqualTo(true);
    }

    // ---- Broadleaf's admin ----

    /**
     * Broadleaf's own entity editor for the SKU ({@code /admin/<entity class>/<id>}): its price and inventory fields are
     * the SKU's own. (Catalog > Products saves the default SKU's fields too since the demo's admin has Broadleaf's
     * blJSCompatibilityRequestFilter; DemoStoreIT covers that editor without a browser.)
     */
    private static void openSku(ChromeDriver admin, String name) {
        long id = jdbc().queryForObject("SELECT SKU_ID FROM BLC_SKU WHERE NAME = ?", Long.class, name);
        admin.get(base + "/admin/org.broadleafcommerce.core.catalog.domain.Sku/" + id);
        await(admin, By.cssSelector("form.entity-form"));
        assertThat(field(admin, "name").getAttribute("value")).isEqualTo(name);
    }

    /** A field of Broadleaf's entity form, by its property ({@code fields['property'].value}). */
    private static WebElement field(ChromeDriver admin, String property) {
        return admin.findElement(By.cssSelector("input[name=\"fields['" + property + "'].value\"]"));
    }

    private static void setInventoryType(ChromeDriver admin, String type) {
        for (WebElement tab : admin.findElements(By.linkText("Inventory"))) {
            tab.click();
        }
        WebElement radio = admin.findElement(By.cssSelector("input[type='radio'][value='" + type + "']"));
        wait(admin).until(ExpectedConditions.visibilityOf(radio));
        radio.click();
    }

    private static void save(ChromeDriver admin) {
        WebElement form = admin.findElement(By.cssSelector("form.entity-form"));
        admin.findElement(By.cssSelector("button.submit-button")).click(); // Broadleaf's form POST, then its page again
        new WebDriverWait(admin, Duration.ofSeconds(60)).until(Chromium.gone(form));
        await(admin, By.cssSelector("form.entity-form"));
    }

    /** True once BLC_SKU's column of the SKU named so holds the value (within 20 s). */
    private static boolean awaitSku(String column, String sku, String value) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            Object now = jdbc().queryForObject("SELECT " + column + " FROM BLC_SKU WHERE NAME = ?", Object.class, sku);
            if (now != null && (now instanceof BigDecimal ? ((BigDecimal) now).compareTo(new BigDecimal(value)) == 0
                    : value.equals(String.valueOf(now).trim()))) {
                return true;
            }
            Thread.sleep(1000);
        }
        return false;
    }

    // ---- the mailbox ----

    /** One message of the mailbox's JSON: its index, recipient, subject and links. */
    record Mail(int index, String to, String subject, List<String> links) {
    }

    private static final Pattern MAIL = Pattern.compile(
            "\\{\"index\":(\\d+),\"to\":\"((?:[^\"\\\\]|\\\\.)*)\",\"subject\":\"((?:[^\"\\\\]|\\\\.)*)\",\"links\":\\[(.*?)\\]\\}");
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static List<Mail> allMails() {
        String json;
        try {
            json = new Browserless(base).get("/mailbox/messages.json").body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<Mail> mails = new ArrayList<>();
        Matcher m = MAIL.matcher(json);
        while (m.find()) {
            List<String> links = new ArrayList<>();
            Matcher s = STRING.matcher(m.group(4));
            while (s.find()) {
                links.add(unescape(s.group(1)));
            }
            mails.add(new Mail(Integer.parseInt(m.group(1)), unescape(m.group(2)), unescape(m.group(3)), links));
        }
        return mails;
    }

    private static String unescape(String json) {
        return json.replace("\\u0026", "&").replace("\\u003c", "<").replace("\\u003e", ">").replace("\\/", "/")
                .replace("\\\"", "\"");
    }

    private static List<Mail> mails(String to, String subject) {
        return allMails().stream().filter(m -> m.to.equals(to) && m.subject.equals(subject)).collect(Collectors.toList());
    }

    private static Mail awaitMail(String to, String subject, Duration timeout) throws InterruptedException {
        awaitTrue("'" + subject + "' to " + to + " (mailbox: " + allMails().stream().map(m -> m.to + ": " + m.subject)
                .collect(Collectors.toList()) + ")", timeout, () -> !mails(to, subject).isEmpty());
        return mails(to, subject).get(0);
    }

    private static String html(Mail mail) {
        try {
            return new Browserless(base).get("/mailbox/message/" + mail.index + ".html").body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertNoMarkupFrom(String html) {
        assertThat(html).doesNotContain("<script").doesNotContain("<img src=x").doesNotContain("onerror=\"window")
                .doesNotContain("<b>Lovelace");
    }

    // ---- helpers ----

    private static void awaitTrue(String what, Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            Thread.sleep(1000);
        }
    }

    private static WebElement await(ChromeDriver driver, By what) {
        return DemoUnderTest.await(driver, what);
    }

    private static WebDriverWait wait(ChromeDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    private static JdbcTemplate jdbc() {
        return demo.jdbc();
    }
}
