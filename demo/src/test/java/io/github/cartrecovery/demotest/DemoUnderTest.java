package io.github.cartrecovery.demotest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.demo.DemoOptions;
import io.github.cartrecovery.demo.DemoStore;

/**
 * One demo store started for a browser test class: a fresh database under the class's work folder, a free port on the
 * loopback interface, its output kept quiet; with the steps every browser test repeats.
 */
final class DemoUnderTest implements AutoCloseable {

    final DemoStore store;
    final String base;

    private DemoUnderTest(DemoStore store, String base) {
        this.store = store;
        this.base = base;
    }

    /** Starts the demo (fast timings, no simulation) with these settings on top of its own. */
    static DemoUnderTest start(Path work, Map<String, String> settings) {
        int port = freePort();
        DemoStore store = DemoStore.start(DemoOptions.of(port, work.resolve("data").toFile(), true, settings),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return new DemoUnderTest(store, "http://localhost:" + port);
    }

    /** The plugin's tables, read and written as the store's own nodes do. */
    JdbcTemplate jdbc() {
        return new JdbcTemplate(store.storeContext().getBean("crDataSource", DataSource.class));
    }

    /** Signs the demo's operator in through the admin's own login form (with Broadleaf's CSRF token). */
    void logInAsAdmin(ChromeDriver driver) {
        driver.get(base + "/admin/login");
        WebElement form = await(driver, By.cssSelector("form input[name='j_username']")).findElement(By.xpath("./ancestor::form"));
        form.findElement(By.name("j_username")).sendKeys(DemoStore.ADMIN_LOGIN);
        form.findElement(By.name("j_password")).sendKeys(DemoStore.ADMIN_PASSWORD);
        form.findElement(By.cssSelector("input[type='submit']")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(Chromium.gone(form));
        driver.get(base + "/admin/"); // the demo's success handler may land on the login page again; the session is signed in
        if (!driver.getPageSource().contains("adminLogout")) {
            throw new AssertionError("the demo's admin did not sign in");
        }
    }

    @Override
    public void close() {
        store.close();
    }

    /** Waits up to 30 s for the element. */
    static WebElement await(ChromeDriver driver, By what) {
        return new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(what));
    }

    /** A port nothing listens on now, on the loopback interface. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
