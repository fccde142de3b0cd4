package io.github.cartrecovery.demotest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The exit-intent dialog in the demo store, in headless Chromium (a desktop User-Agent, see {@link Chromium}).
 * <p>
 * The page's tag loads exit-intent.js after the load event; each exit waits until the script listens.
 * <p>
 * How exit intent is simulated: WebDriver Actions cannot move the pointer outside the viewport (ChromeDriver answers
 * "move target out of bounds"), so each test first moves the real pointer with Actions to the top edge of the page (the
 * header), then dispatches the {@code mouseout} the browser fires when the pointer leaves through the top: on the
 * document, {@code clientY} -1, no {@code relatedTarget}. A {@code mouseout} towards another element of the page, or one
 * lower down, must not open it.
 * <p>
 * The consent each capture recorded is read from the plugin's state ({@code CR_CAPTURED_CART}). The screenshot goes to
 * {@code docs/images/exit-intent.png}. Takes about a minute and a half.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExitIntentBrowserE2E {

    static final Path SCREENSHOTS = Path.of("target", "e2e-screenshots");
    static final Path DOCS_IMAGE = Path.of("..", "docs", "images", "exit-intent.png");
    static final String SCRIPT = "/cart-recovery/exit-intent.js";

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
    void itAppearsOnceOnExitIntentWithFocusInsideAndEscDismissesIt() throws Exception {
        ChromeDriver shopper = Chromium.newSession(work.resolve("profiles"));
        try {
            shopper.get(base + "/");
            assertThat(shopper.getPageSource()).as("an empty cart gets no dialog").doesNotContain(SCRIPT);
            addToCart(shopper, "/products/french-press");
            assertThat(shopper.getPageSource()).contains(SCRIPT);
            long cart = cartId(shopper);

            shopper.executeScript("document.getElementById('promoCode').focus()");
            mouseOut(shopper, 300, true); // towards another element, lower down: not an exit
            mouseOut(shopper, -1, true); // through the top, but into another element of the page: not an exit
            Thread.sleep(300);
            assertThat(dialogs(shopper)).isEmpty();

            leaveThroughTheTop(shopper);
            WebElement dialog = awaitDialog(shopper);
            assertThat(dialog.getAttribute("role")).isEqualTo("dialog");
            assertThat(dialog.getAttribute("aria-modal")).isEqualTo("true");
            assertThat(shopper.findElement(By.id(dialog.getAttribute("aria-labelledby"))).getText()).isEqualTo("Before you go");
            assertThat(shopper.findElement(By.id(dialog.getAttribute("aria-describedby"))).getText())
                    .startsWith("Leave your email");
            assertThat(activeId(shopper)).as("focus moves into the dialog").isEqualTo("cr-exit-email");
            assertThat(shopper.findElement(By.id("cr-exit-consent")).isSelected()).as("the consent box starts unticked").isFalse();
            WebElement close = dialog.findElement(By.className("cr-exit-close"));
            assertThat(close.isDisplayed()).isTrue();
            assertThat(close.getAttribute("aria-label")).isEqualTo("Close");

            Chromium.screenshot(shopper, SCREENSHOTS, "exit-intent-01-dialog");
            Files.createDirectories(DOCS_IMAGE.getParent());
            Files.copy(SCREENSHOTS.resolve("exit-intent-01-dialog.png"), DOCS_IMAGE, StandardCopyOption.REPLACE_EXISTING);

            shopper.executeScript("document.querySelector('.cr-exit-submit').focus()");
            new Actions(shopper).sendKeys(Keys.TAB).perform();
            assertThat(activeClass(shopper)).as("Tab from the last control stays in the dialog").isEqualTo("cr-exit-close");
            new Actions(shopper).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
            assertThat(activeClass(shopper)).as("Shift+Tab from the first control stays in the dialog").isEqualTo("cr-exit-submit");

            Number scrollBefore = (Number) shopper.executeScript("return document.documentElement.scrollHeight");
            new Actions(shopper).sendKeys(Keys.ESCAPE).perform();
            new WebDriverWait(shopper, Duration.ofSeconds(5)).until(driver -> dialogs(shopper).isEmpty());
            assertThat(activeId(shopper)).as("focus goes back where it was").isEqualTo("promoCode");
            assertThat(shopper.executeScript("return getComputedStyle(document.body).overflow + '/' + "
                    + "getComputedStyle(document.documentElement).overflow")).isEqualTo("visible/visible");
            assertThat(shopper.executeScript("return document.documentElement.scrollHeight")).isEqualTo(scrollBefore);

            leaveThroughTheTop(shopper);
            Thread.sleep(500);
            assertThat(dialogs(shopper)).as("not a second time on the page").isEmpty();
            shopper.get(base + "/cart");
            leaveThroughTheTop(shopper);
            Thread.sleep(500);
            assertThat(dialogs(shopper)).as("not a second time in the session").isEmpty();
            assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM CR_CAPTURED_CART WHERE ORDER_ID = ? AND EMAIL IS NOT NULL",
                    Integer.class, cart)).as("dismissing sends nothing").isZero();
        } finally {
            shopper.quit();
        }
    }

    @Test
    @Order(2)
    void theCloseButtonDismissesIt() throws Exception {
        ChromeDriver shopper = Chromium.newSession(work.resolve("profiles"));
        try {
            addToCart(shopper, "/products/hand-grinder");
            leaveThroughTheTop(shopper);
            awaitDialog(shopper).findElement(By.className("cr-exit-close")).click();
            new WebDriverWait(shopper, Duration.ofSeconds(5)).until(driver -> dialogs(shopper).isEmpty());
            shopper.get(base + "/products/milk-frother");
            leaveThroughTheTop(shopper);
            Thread.sleep(500);
            assertThat(dialogs(shopper)).as("once per session, on any page").isEmpty();
        } finally {
            shopper.quit();
        }
    }

    @Test
    @Order(3)
    void itCapturesTheEmailWithConsentAfterShowingTheEndpointsRefusal() throws Exception {
        ChromeDriver shopper = Chromium.newSession(work.resolve("profiles"));
        try {
            addToCart(shopper, "/products/glass-teapot");
            long cart = cartId(shopper);
            leaveThroughTheTop(shopper);
            awaitDialog(shopper);
            WebElement email = shopper.findElement(By.id("cr-exit-email"));
            email.sendKeys("exit..consent@example.com"); // plausible to the script, refused by the endpoint (two dots)
            shopper.findElement(By.id("cr-exit-consent")).click();
            shopper.findElement(By.className("cr-exit-submit")).click();
            WebElement error = new WebDriverWait(shopper, Duration.ofSeconds(10))
                    .until(ExpectedConditions.visibilityOfElementLocated(By.id("cr-exit-error")));
            assertThat(error.getText()).isEqualTo("Please check the email address.");
            assertThat(error.getAttribute("data-field")).isEqualTo("email");
            assertThat(email.getAttribute("aria-invalid")).isEqualTo("true");

            email.clear();
            email.sendKeys("exit-consent@example.com");
            shopper.findElement(By.className("cr-exit-submit")).click();
            WebElement thanks = new WebDriverWait(shopper, Duration.ofSeconds(10))
                    .until(ExpectedConditions.visibilityOfElementLocated(By.id("cr-exit-thanks")));
            assertThat(thanks.getText()).isEqualTo("Thank you! Your cart is saved.");
            Chromium.screenshot(shopper, SCREENSHOTS, "exit-intent-02-thanks");
            awaitConsent(cart, "exit-consent@example.com", "GRANTED");

            shopper.get(base + "/cart");
            assertThat(shopper.getPageSource()).as("the email is known now").doesNotContain(SCRIPT);
        } finally {
            shopper.quit();
        }
    }

    @Test
    @Order(4)
    void itCapturesTheEmailWithoutConsentWhenTheBoxStaysUnticked() throws Exception {
        ChromeDriver shopper = Chromium.newSession(work.resolve("profiles"));
        try {
            addToCart(shopper, "/products/cold-brew-kit");
            long cart = cartId(shopper);
            leaveThroughTheTop(shopper);
            awaitDialog(shopper);
            shopper.findElement(By.id("cr-exit-email")).sendKeys("exit-no-consent@example.com");
            new Actions(shopper).sendKeys(Keys.ENTER).perform(); // submit from the field
            new WebDriverWait(shopper, Duration.ofSeconds(10))
                    .until(ExpectedConditions.visibilityOfElementLocated(By.id("cr-exit-thanks")));
            awaitConsent(cart, "exit-no-consent@example.com", "UNKNOWN"); // nothing was said about marketing
            Thread.sleep(2000);
            assertThat(jdbc().queryForObject("SELECT MARKETING_CONSENT FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class, cart))
                    .as("and nothing granted later").isEqualTo("UNKNOWN");
        } finally {
            shopper.quit();
        }
    }

    @Test
    @Order(5)
    void itNeverAppearsToAShopperWhoseEmailIsKnown() throws Exception {
        ChromeDriver shopper = Chromium.newSession(work.resolve("profiles"));
        try {
            addToCart(shopper, "/products/travel-tumbler");
            shopper.findElement(By.id("checkout-link")).click();
            WebElement email = new WebDriverWait(shopper, Duration.ofSeconds(30))
                    .until(ExpectedConditions.elementToBeClickable(By.id("emailAddress")));
            email.sendKeys("exit-known@example.com");
            shopper.findElement(By.id("save-email")).click();
            new WebDriverWait(shopper, Duration.ofSeconds(30))
                    .until(ExpectedConditions.presenceOfElementLocated(By.id("address-form")));
            shopper.get(base + "/cart");
            assertThat(shopper.getPageSource()).doesNotContain(SCRIPT);
            leaveThroughTheTop(shopper);
            Thread.sleep(500);
            assertThat(dialogs(shopper)).isEmpty();
        } finally {
            shopper.quit();
        }
    }

    /** A real pointer move to the page's top edge, then the mouseout of leaving the window through it. */
    private static void leaveThroughTheTop(ChromeDriver shopper) {
        // the page's tag loads exit-intent.js after the load event: wait until it listens (pages without the tag: at once)
        new WebDriverWait(shopper, Duration.ofSeconds(10)).until(driver -> Boolean.TRUE.equals(shopper.executeScript(
                "return !document.querySelector('script[data-exit-intent]') || !!(window.CartRecovery && window.CartRecovery.showExitIntent)")));
        new Actions(shopper).moveToElement(shopper.findElement(By.cssSelector("header.top")), 0, 0).perform();
        mouseOut(shopper, -1, false);
    }

    private static void mouseOut(ChromeDriver shopper, int clientY, boolean intoThePage) {
        shopper.executeScript("var header = document.querySelector('header.top');"
                + "header.dispatchEvent(new MouseEvent('mouseout', {bubbles: true, cancelable: true, clientX: 200, clientY: arguments[0],"
                + " relatedTarget: arguments[1] ? document.querySelector('main') : null}));", clientY, intoThePage);
    }

    private static WebElement awaitDialog(ChromeDriver shopper) {
        return new WebDriverWait(shopper, Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("cr-exit-dialog")));
    }

    private static List<WebElement> dialogs(ChromeDriver shopper) {
        return shopper.findElements(By.id("cr-exit-dialog"));
    }

    private static String activeId(ChromeDriver shopper) {
        return (String) shopper.executeScript("return document.activeElement && document.activeElement.id");
    }

    private static String activeClass(ChromeDriver shopper) {
        return (String) shopper.executeScript("return document.activeElement && document.activeElement.className");
    }

    private static void addToCart(ChromeDriver driver, String productPath) {
        driver.get(base + productPath);
        driver.findElement(By.id("add-to-cart-button")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.urlToBe(base + "/cart"));
    }

    /** The newest open cart: each test's shopper is the only one adding to a cart at that moment. */
    private static long cartId(ChromeDriver shopper) {
        return jdbc().queryForObject("SELECT MAX(ORDER_ID) FROM BLC_ORDER WHERE ORDER_STATUS = 'IN_PROCESS'", Long.class);
    }

    /** Waits for the plugin's record of the cart to hold the address and the consent (the capture buffer flushes every second). */
    private static void awaitConsent(long cart, String email, String consent) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        List<Map<String, Object>> rows = List.of();
        while (Instant.now().isBefore(deadline)) {
            rows = jdbc().queryForList("SELECT EMAIL, MARKETING_CONSENT FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", cart);
            if (!rows.isEmpty() && email.equals(rows.get(0).get("EMAIL")) && consent.equals(rows.get(0).get("MARKETING_CONSENT"))) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("cart " + cart + " never got " + email + " with consent " + consent + " in CR_CAPTURED_CART: " + rows);
    }

    private static JdbcTemplate jdbc() {
        return demo.jdbc();
    }
}
