package io.github.cartrecovery.demotest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.demo.DemoStore;

/**
 * The two defects of the safety issue, reproduced the way they were found: in the demo store, in real browsers.
 * <ol>
 * <li>A restore link opened by somebody else (a forwarded email) used to put the owner's anonymous customer into the
 * visitor's session: what the visitor typed at checkout showed on the owner's checkout, and the other way round.
 * Now the visitor gets a copy of the lines in a cart of their own.</li>
 * <li>One 255-character address typed at Broadleaf's checkout (the plugin's column holds 254) used to stop capture
 * for the whole node. Now that row is rejected and recorded, and other shoppers' carts are still captured.</li>
 * </ol>
 * Then the operator's side: the rejected value on the admin's Capture Rejections page (masked), and the first
 * shopper's data erased from the admin's Privacy Requests page.
 * Screenshots go to {@code demo/target/e2e-screenshots/safety-*}. Takes about four minutes (the demo's one-minute
 * idle time before the first email).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopperSafetyBrowserE2E {

    static final Path SCREENSHOTS = Path.of("target", "e2e-screenshots");
    static final String OWNER = "safety-owner@example.com";
    static final String VISITOR = "safety-visitor@example.com";

    @TempDir
    static Path work;

    static DemoUnderTest demo;
    static String base;

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
    void aForwardedRestoreLinkGivesTheVisitorACopyAndNeverTheOwnersIdentity() throws Exception {
        ChromeDriver owner = Chromium.newSession(work.resolve("profiles"));
        ChromeDriver visitor = Chromium.newSession(work.resolve("profiles"));
        try {
            addToCart(owner, "/products/french-press");
            typeCheckoutEmail(owner, OWNER);
            owner.findElement(By.id("save-email")).click();
            wait(owner).until(ExpectedConditions.presenceOfElementLocated(By.id("address-form")));

            String restoreLink = awaitRestoreLink(OWNER, Duration.ofMinutes(5));
            visitor.get(restoreLink);
            wait(visitor).until(ExpectedConditions.urlContains("/cart"));
            Chromium.screenshot(visitor, SCREENSHOTS, "safety-01-visitor-restored-copy");
            assertThat(visitor.findElement(By.cssSelector(".cart-item .item-name")).getText()).isEqualTo("French Press");

            visitor.findElement(By.id("checkout-link")).click();
            WebElement visitorsEmail = wait(visitor).until(ExpectedConditions.elementToBeClickable(By.id("emailAddress")));
            assertThat(visitorsEmail.getAttribute("value")).as("the owner's address is never shown").isEmpty();
            assertThat(visitor.getPageSource()).doesNotContain(OWNER);
            visitorsEmail.sendKeys(VISITOR);
            visitor.findElement(By.id("save-email")).click();
            wait(visitor).until(ExpectedConditions.presenceOfElementLocated(By.id("address-form")));
            Chromium.screenshot(visitor, SCREENSHOTS, "safety-02-visitor-checkout");

            owner.get(base + "/checkout");
            WebElement ownersEmail = wait(owner).until(ExpectedConditions.elementToBeClickable(By.id("emailAddress")));
            Chromium.screenshot(owner, SCREENSHOTS, "safety-03-owner-checkout-unchanged");
            assertThat(ownersEmail.getAttribute("value")).as("what the visitor typed never reaches the owner").isEqualTo(OWNER);
            assertThat(owner.getPageSource()).doesNotContain(VISITOR);

            visitor.get(base + "/checkout");
            assertThat(wait(visitor).until(ExpectedConditions.elementToBeClickable(By.id("emailAddress"))).getAttribute("value"))
                    .isEqualTo(VISITOR);
            assertThat(jdbc().queryForObject("SELECT COUNT(DISTINCT TARGET_ORDER_ID) FROM CR_RESTORED_CART", Integer.class))
                    .as("the visitor's copy is recorded for attribution").isEqualTo(1);
        } finally {
            owner.quit();
            visitor.quit();
        }
    }

    @Test
    @Order(2)
    void aTooLongAddressAtCheckoutIsRejectedAndOtherCartsAreStillCaptured() throws Exception {
        // 64 + 1 + 190 = 255 characters: Broadleaf's checkout accepts it, the plugin's column holds 254
        String tooLong = "l".repeat(64) + "@" + "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(58) + ".com";
        assertThat(tooLong).hasSize(255);
        ChromeDriver poisoner = Chromium.newSession(work.resolve("profiles"));
        ChromeDriver shopper = Chromium.newSession(work.resolve("profiles"));
        try {
            addToCart(poisoner, "/products/milk-frother");
            poisoner.findElement(By.id("checkout-link")).click();
            WebElement email = wait(poisoner).until(ExpectedConditions.elementToBeClickable(By.id("emailAddress")));
            poisoner.executeScript("arguments[0].removeAttribute('maxlength')", email); // a shopper's own page, edited
            email.sendKeys(tooLong);
            poisoner.findElement(By.id("save-email")).click();
            Thread.sleep(2000);
            Chromium.screenshot(poisoner, SCREENSHOTS, "safety-04-long-address-at-checkout");
            awaitTrue("the too-long address is recorded as a rejected capture row", Duration.ofSeconds(20),
                    () -> jdbc().queryForObject("SELECT COUNT(*) FROM CR_CAPTURE_REJECTION", Integer.class) > 0);

            addToCart(shopper, "/products/french-press");
            long cartId = jdbc().queryForObject("SELECT MAX(ORDER_ID) FROM BLC_ORDER_ITEM", Long.class);
            awaitTrue("the next shopper's cart is captured", Duration.ofSeconds(10),
                    () -> jdbc().queryForObject("SELECT COUNT(*) FROM CR_CAPTURED_CART WHERE ORDER_ID = ? AND TOTAL IS NOT NULL",
                            Integer.class, cartId) == 1); // the first event of a cart may come before Broadleaf priced it
            BigDecimal before = total(cartId);
            WebElement quantity = shopper.findElement(By.cssSelector(".cart-item input[name='quantity']"));
            quantity.clear();
            quantity.sendKeys("3", Keys.ENTER);
            wait(shopper).until(ExpectedConditions.urlToBe(base + "/cart"));
            Chromium.screenshot(shopper, SCREENSHOTS, "safety-05-next-shopper-changes-cart");
            awaitTrue("the next shopper's later change is captured too", Duration.ofSeconds(10),
                    () -> total(cartId) != null && total(cartId).compareTo(before) > 0);
        } finally {
            poisoner.quit();
            shopper.quit();
        }
    }

    @Test
    @Order(3)
    void theOperatorSeesTheRejectionMaskedAndErasesAShopperOnRequest() throws Exception {
        ChromeDriver operator = Chromium.newSession(work.resolve("profiles"));
        try {
            operator.get(base + "/admin/login");
            WebElement login = wait(operator).until(ExpectedConditions.presenceOfElementLocated(By.name("j_username")))
                    .findElement(By.xpath("./ancestor::form"));
            login.findElement(By.name("j_username")).sendKeys(DemoStore.ADMIN_LOGIN);
            login.findElement(By.name("j_password")).sendKeys(DemoStore.ADMIN_PASSWORD);
            login.findElement(By.cssSelector("input[type='submit']")).click();
            wait(operator).until(Chromium.gone(login));

            operator.get(base + "/admin/cart-recovery-cart/rejections");
            WebElement reason = wait(operator).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector(".cr-rejection-reason")));
            Chromium.screenshot(operator, SCREENSHOTS, "safety-06-admin-capture-rejections");
            assertThat(reason.getText()).isEqualTo("max_length");
            assertThat(operator.getPageSource()).contains("(255 chars)").doesNotContain("l".repeat(64) + "@");

            assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM CR_CAPTURED_CART WHERE EMAIL = ?", Integer.class, OWNER))
                    .isPositive();
            operator.get(base + "/admin/cart-recovery-privacy");
            WebElement erase = wait(operator).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("form[action$='/cart-recovery-privacy/erase']")));
            erase.findElement(By.name("email")).sendKeys(OWNER);
            erase.findElement(By.name("confirmation")).sendKeys(OWNER);
            erase.findElement(By.cssSelector("button[type='submit']")).click();
            wait(operator).until(ExpectedConditions.alertIsPresent()).accept(); // "erase everything about this address?"
            wait(operator).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".cr-erased")));
            Chromium.screenshot(operator, SCREENSHOTS, "safety-07-admin-privacy-erased");
        } finally {
            operator.quit();
        }
        for (String table : new String[] {"CR_CAPTURED_CART", "CR_PLANNED_MESSAGE"}) {
            assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM " + table + " WHERE LOWER(EMAIL) = ?", Integer.class, OWNER))
                    .as("the erased address in " + table).isZero();
        }
    }

    private static void addToCart(ChromeDriver driver, String productPath) {
        driver.get(base + productPath);
        driver.findElement(By.id("add-to-cart-button")).click();
        wait(driver).until(ExpectedConditions.urlToBe(base + "/cart"));
    }

    private static void typeCheckoutEmail(ChromeDriver driver, String address) throws InterruptedException {
        driver.findElement(By.id("checkout-link")).click();
        WebElement email = wait(driver).until(ExpectedConditions.elementToBeClickable(By.id("emailAddress")));
        driver.findElement(By.id("marketingOptIn")).click();
        email.sendKeys(address);
        email.sendKeys(Keys.TAB); // the capture snippet posts the address on blur
        Thread.sleep(1500);
    }

    private static BigDecimal total(long orderId) {
        return jdbc().queryForObject("SELECT TOTAL FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", BigDecimal.class, orderId);
    }

    /** Polls the mailbox's JSON until an email to this address carries a restore link. */
    private static String awaitRestoreLink(String to, Duration timeout) throws Exception {
        Browserless mailbox = new Browserless(base);
        Pattern restore = Pattern.compile("\"to\":\"" + Pattern.quote(to) + "\",\"subject\":\"[^\"]*\",\"links\":\\[[^\\]]*?\"("
                + Pattern.quote(base + "/cart-recovery/restore/") + "[^\"]*)\"");
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Matcher matcher = restore.matcher(mailbox.get("/mailbox/messages.json").body());
            if (matcher.find()) {
                return matcher.group(1).replace("\\u0026", "&");
            }
            Thread.sleep(3000);
        }
        throw new AssertionError("no recovery email to " + to + " within " + timeout);
    }

    private static void awaitTrue(String what, Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            Thread.sleep(500);
        }
    }

    private static JdbcTemplate jdbc() {
        return demo.jdbc();
    }

    private static WebDriverWait wait(ChromeDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(30));
    }
}
