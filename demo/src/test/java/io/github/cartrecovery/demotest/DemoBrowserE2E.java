package io.github.cartrecovery.demotest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.github.cartrecovery.demo.DemoOptions;
import io.github.cartrecovery.demo.DemoStore;

/**
 * The recovery loop in a real browser (issue 7's acceptance), run by {@code mvn -B -pl demo -am verify -Pe2e}:
 * a shopper adds to cart, types an email at checkout and leaves; the recovery email arrives in the mailbox;
 * its restore link, opened in a fresh browser (another device), brings the cart back with the coupon; the
 * order is placed; the admin's report shows one recovered cart and its revenue. Screenshots of every step go
 * to {@code demo/target/e2e-screenshots/}.
 * <p>
 * The steps after the email need the restore landing and the admin report (issues 5 and 6): until those are
 * merged the test stops there, skipped with the reason, after checking everything before it.
 */
class DemoBrowserE2E {

    static final Path SCREENSHOTS = Path.of("target", "e2e-screenshots");
    static final String EMAIL = "e2e-shopper@example.com";

    @TempDir
    static Path work;

    static DemoStore demo;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Chromium.installIfMissing();
        int port = freePort();
        demo = DemoStore.start(DemoOptions.of(port, work.resolve("data").toFile(), true, Map.of()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        base = "http://localhost:" + port;
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void aLeftCartComesBackFromTheRecoveryEmail() throws Exception {
        String restoreLink;
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
            shopper.quit(); // the shopper leaves
        }

        restoreLink = awaitRecoveryEmail(Duration.ofMinutes(6));
        ChromeDriver reader = Chromium.newSession(work.resolve("profiles"));
        try {
            reader.get(base + "/mailbox/");
            Chromium.screenshot(reader, SCREENSHOTS, "04-mailbox");
            reader.findElement(By.cssSelector("a.mail")).click();
            wait(reader).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("iframe.html")));
            Thread.sleep(1000);
            Chromium.screenshot(reader, SCREENSHOTS, "05-recovery-email");
            assertThat(reader.findElements(By.cssSelector("a.email-link")).stream().map(a -> a.getAttribute("href")))
                    .contains(restoreLink);
        } finally {
            reader.quit();
        }

        ChromeDriver otherDevice = Chromium.newSession(work.resolve("profiles"));
        try {
            otherDevice.get(restoreLink);
            Chromium.screenshot(otherDevice, SCREENSHOTS, "06-restore-link");
            otherDevice.get(base + "/cart");
            Assumptions.assumeTrue(!otherDevice.findElements(By.cssSelector(".cart-item")).isEmpty(),
                    "the restore link does not bring the cart back yet: the restore landing (issue 5) is not installed");
            assertThat(otherDevice.findElement(By.cssSelector(".cart-item .item-name")).getText()).isEqualTo("French Press");
            Assumptions.assumeTrue(!otherDevice.findElements(By.cssSelector(".applied-coupon")).isEmpty(),
                    "the restored cart carries no coupon yet: recovery coupons (issue 5) are not installed");
            Chromium.screenshot(otherDevice, SCREENSHOTS, "07-restored-cart-with-coupon");
            otherDevice.findElement(By.id("checkout-link")).click();
            placeOrder(otherDevice);
            Chromium.screenshot(otherDevice, SCREENSHOTS, "08-order-confirmation");
            String total = otherDevice.findElement(By.id("order-total")).getText();
            assertThat(total).isEqualTo("$35.10"); // 39.00 less the 10% recovery coupon

            otherDevice.get(base + "/admin/login");
            otherDevice.findElement(By.name("j_username")).sendKeys(DemoStore.ADMIN_LOGIN);
            otherDevice.findElement(By.name("j_password")).sendKeys(DemoStore.ADMIN_PASSWORD, Keys.ENTER);
            wait(otherDevice).until(d -> !d.getCurrentUrl().contains("/login"));
            otherDevice.get(base + "/admin/cart-recovery/report");
            Chromium.screenshot(otherDevice, SCREENSHOTS, "09-admin-report");
            Assumptions.assumeTrue(otherDevice.findElements(By.cssSelector("[data-metric='recovered-carts']")).size() > 0,
                    "the admin report (issue 6) is not installed yet");
            assertThat(otherDevice.findElement(By.cssSelector("[data-metric='recovered-carts']")).getText()).isEqualTo("1");
            assertThat(otherDevice.findElement(By.cssSelector("[data-metric='recovered-revenue']")).getText()).contains("35.10");
        } finally {
            otherDevice.quit();
        }
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

    /** Polls the mailbox's JSON until a recovery email to the shopper carries a restore link. */
    private static String awaitRecoveryEmail(Duration timeout) throws Exception {
        Browserless mailbox = new Browserless(base);
        Instant deadline = Instant.now().plus(timeout);
        Pattern restore = Pattern.compile("\"to\":\"" + Pattern.quote(EMAIL) + "\",\"subject\":\"[^\"]*\",\"links\":\\[\"(" + Pattern.quote(base) + "[^\"]*)\"");
        while (Instant.now().isBefore(deadline)) {
            Matcher matcher = restore.matcher(mailbox.get("/mailbox/messages.json").body());
            if (matcher.find()) {
                return matcher.group(1).replace("\\u0026", "&");
            }
            Thread.sleep(5000);
        }
        throw new AssertionError("no recovery email to " + EMAIL + " within " + timeout);
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
