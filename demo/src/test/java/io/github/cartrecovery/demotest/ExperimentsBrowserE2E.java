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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.demo.DemoOptions;
import io.github.cartrecovery.demo.DemoStore;
import io.github.cartrecovery.demo.seed.DemoSeed;
import io.github.cartrecovery.demo.simulation.Simulation;
import io.github.cartrecovery.experiment.ArmCounts;
import io.github.cartrecovery.experiment.ExperimentResults;

/**
 * Experiments in a real browser (issue 17's acceptance), run by
 * {@code mvn -B verify -pl demo -am -Pe2e -Dit.test=ExperimentsBrowserE2E}: the operator signs in to the demo's admin,
 * creates an experiment on the demo campaign with a 10% holdout and two first-email subjects (one with its German
 * subject), starts it; the demo's simulated shoppers abandon carts and the ones who come back follow their email's
 * restore link; the operator reads the per-arm report with its intervals and plain-words verdict, downloads its CSV,
 * and ends the experiment with a winner, whose subjects the campaign then keeps. The demo's jobs run every 3 seconds
 * here (the demo's own fast settings run them every 10 to 15). Screenshots: {@code experiments-list.png} and
 * {@code experiment-report.png} in {@code demo/target/e2e-screenshots/} (copied to docs/images). About five minutes,
 * most of it the carts' minute of idleness and the first email's minute of delay.
 */
class ExperimentsBrowserE2E {

    static final Path SCREENSHOTS = Path.of("target", "e2e-screenshots");
    static final Path work = Path.of("target", "experiments-e2e");
    static final String EXPERIMENT = "E2E first email subject";
    static final String SUBJECT_B = "Forgot something? Your cart is saved";
    static final String SUBJECT_B_DE = "Etwas vergessen? Ihr Warenkorb ist gespeichert";
    static final String SUBJECT_C = "Your coffee is still in the cart";
    static final int SHOPPERS = 40;
    static final Map<String, String> FAST = Map.of(
            "cartrecovery.detection.interval-seconds", "3",
            "cartrecovery.campaigns.planning-interval-seconds", "3",
            "cartrecovery.delivery.interval-seconds", "3",
            "cartrecovery.attribution.interval-seconds", "3");

    static DemoStore demo;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Chromium.installIfMissing();
        demo = DemoStore.start(DemoOptions.of(freePort(), work.resolve("data").toFile(), true, FAST),
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
    void anOperatorRunsAnExperimentWithAHoldoutReadsItsReportAndEndsItWithAWinner() throws Exception {
        long campaignId = jdbc().queryForObject("SELECT ID FROM CR_CAMPAIGN WHERE NAME = ?", Long.class, DemoSeed.CAMPAIGN_NAME);
        ChromeDriver admin = Chromium.newSession(work.resolve("profiles"));
        try {
            logIn(admin);
            long experimentId = createAndStart(admin, campaignId);

            Thread shoppers = new Thread(new Simulation(base, SHOPPERS, new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8), new Random(17), Duration.ofMinutes(4)), "e2e-shoppers");
            shoppers.setDaemon(true);
            shoppers.start();
            awaitRecoveredCarts(experimentId, 2, Duration.ofMinutes(6));

            report(admin, experimentId);
            csv(admin, experimentId);
            endWithWinner(admin, experimentId, campaignId);
            bandit(admin, campaignId);
        } finally {
            admin.quit();
        }
    }

    /** The editor's new experiment: the blank form's 10% holdout, control A and variant B, plus a variant C. */
    private long createAndStart(ChromeDriver admin, long campaignId) throws Exception {
        admin.get(base + "/admin/cart-recovery-experiments");
        WebElement picker = await(admin, By.cssSelector("form.cr-campaign-picker"));
        new Select(picker.findElement(By.name("campaignId"))).selectByValue(String.valueOf(campaignId));
        picker.findElement(By.cssSelector("button[type='submit']")).click();
        WebElement form = await(admin, By.id("cr-experiment-form"));
        assertThat(form.findElement(By.name("holdoutPercent")).getAttribute("value")).isEqualTo("10");
        type(form, "name", EXPERIMENT);
        type(form, "arms[1].name", "Forgot something");
        type(form, "arms[1].steps[0].stepNo", "1");
        type(form, "arms[1].steps[0].subject", SUBJECT_B);
        type(form, "arms[1].steps[0].subjects[de]", SUBJECT_B_DE);
        type(form, "arms[2].key", "C");
        type(form, "arms[2].name", "Coffee in the cart");
        new Select(form.findElement(By.name("arms[2].kind"))).selectByValue("VARIANT");
        type(form, "arms[2].weight", "1");
        type(form, "arms[2].steps[0].stepNo", "1");
        type(form, "arms[2].steps[0].subject", SUBJECT_C);
        click(admin, By.id("cr-experiment-save"));
        assertThat(await(admin, By.cssSelector(".cr-saved")).getText()).isEqualTo("Saved.");
        long experimentId = jdbc().queryForObject("SELECT ID FROM CR_EXPERIMENT WHERE NAME = ?", Long.class, EXPERIMENT);
        assertThat(jdbc().queryForList("SELECT ARM_KEY FROM CR_EXPERIMENT_ARM WHERE EXPERIMENT_ID = ? ORDER BY POSITION",
                String.class, experimentId)).containsExactly("holdout", "A", "B", "C");
        assertThat(jdbc().queryForObject("SELECT s.SUBJECT FROM CR_EXPERIMENT_ARM_STEP_SUBJECT s JOIN CR_EXPERIMENT_ARM a "
                + "ON a.ID = s.ARM_ID WHERE a.EXPERIMENT_ID = ? AND a.ARM_KEY = 'B' AND s.LOCALE_CODE = 'de'", String.class,
                experimentId)).isEqualTo(SUBJECT_B_DE);

        click(admin, By.cssSelector("#cr-experiment-start button[type='submit']"));
        assertThat(await(admin, By.cssSelector(".cr-saved")).getText()).startsWith("Started");
        WebElement row = await(admin, By.cssSelector("tr.cr-experiment-row[data-experiment='" + experimentId + "']"));
        assertThat(row.findElement(By.cssSelector(".cr-experiment-status")).getText()).isEqualTo("RUNNING");
        Chromium.screenshot(admin, SCREENSHOTS, "experiments-list");
        return experimentId;
    }

    /** The per-arm report: every arm with its carts, conversion with its interval, and the verdict in words. */
    private void report(ChromeDriver admin, long experimentId) throws Exception {
        admin.get(base + "/admin/cart-recovery-experiments/report?id=" + experimentId);
        await(admin, By.cssSelector("table.cr-experiment-arms"));
        List<String> arms = admin.findElements(By.cssSelector("tr.cr-experiment-arm")).stream()
                .map(row -> row.getAttribute("data-arm")).collect(Collectors.toList());
        assertThat(arms).containsExactly("holdout", "A", "B", "C");
        assertThat(admin.findElement(By.cssSelector(".cr-verdict")).getText())
                .startsWith("Provisional:").contains("keep it running");
        String page = admin.findElement(By.cssSelector("table.cr-experiment-arms")).getText();
        assertThat(page).containsPattern("\\d+\\.\\d % \\(\\d+\\.\\d % to \\d+\\.\\d %\\)"); // a rate with its interval
        assertThat(admin.findElements(By.cssSelector("tr.cr-experiment-arm .cr-arm-verdict")))
                .allSatisfy(verdict -> assertThat(verdict.getText()).containsAnyOf("keep it running", "No carts yet"));
        long eligible = admin.findElements(By.cssSelector("tr.cr-experiment-arm .cr-eligible")).stream()
                .mapToLong(cell -> Long.parseLong(cell.getText())).sum();
        assertThat(eligible).isGreaterThanOrEqualTo(2);
        assertThat(admin.findElements(By.cssSelector("tr.cr-experiment-arm .cr-revenue"))).isNotEmpty();
        // the report's twelve columns are wider than the admin's page: a wider window, zoomed out, shows them all
        admin.manage().window().setSize(new Dimension(1920, 1000));
        admin.executeScript("document.body.style.zoom = '0.7'");
        Chromium.screenshot(admin, SCREENSHOTS, "experiment-report");
        admin.executeScript("document.body.style.zoom = ''");
        admin.manage().window().setSize(new Dimension(1280, 1000));
    }

    /** The report's CSV link, downloaded with the browser's session: a header and one row per arm. */
    private void csv(ChromeDriver admin, long experimentId) throws Exception {
        String href = admin.findElement(By.id("cr-experiment-csv")).getAttribute("href");
        assertThat(href).endsWith("/admin/cart-recovery-experiments/report/csv?id=" + experimentId);
        HttpResponse<String> csv = asBrowser(admin, href);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse(""))
                .contains("cart-recovery-experiment-" + experimentId + ".csv");
        List<String> lines = csv.body().lines().filter(line -> !line.isBlank()).collect(Collectors.toList());
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("arm_id,arm_key,arm,kind,eligible_carts");
        assertThat(lines.subList(1, 5)).extracting(line -> line.split(",", 3)[1].replace("\"", ""))
                .containsExactly("holdout", "A", "B", "C");
    }

    /** Ends it early (the report is provisional, so the page asks for the tick) with B as the winner. */
    private void endWithWinner(ChromeDriver admin, long experimentId, long campaignId) throws Exception {
        admin.get(base + "/admin/cart-recovery-experiments?id=" + experimentId);
        WebElement end = await(admin, By.id("cr-experiment-end"));
        assertThat(end.findElement(By.cssSelector(".cr-provisional")).getText()).isNotBlank();
        long b = jdbc().queryForObject("SELECT ID FROM CR_EXPERIMENT_ARM WHERE EXPERIMENT_ID = ? AND ARM_KEY = 'B'",
                Long.class, experimentId);
        new Select(end.findElement(By.id("cr-winner"))).selectByValue(String.valueOf(b));
        end.findElement(By.name("early")).click();
        click(admin, By.cssSelector("#cr-experiment-end button[type='submit']"));
        assertThat(await(admin, By.cssSelector(".cr-saved")).getText()).isEqualTo("Ended.");
        assertThat(jdbc().queryForMap("SELECT STATUS, WINNER_ARM_ID FROM CR_EXPERIMENT WHERE ID = ?", experimentId))
                .containsEntry("STATUS", "ENDED").containsEntry("WINNER_ARM_ID", b);
        CampaignStep first = demo.storeContext().getBean("crCampaignRepository", CampaignRepository.class)
                .find(campaignId).getSteps().get(0);
        assertThat(first.subjectFor("en_US")).isEqualTo(SUBJECT_B);
        assertThat(first.subjectFor("de_DE")).isEqualTo(SUBJECT_B_DE);
        // the report stays readable once it has ended
        admin.get(base + "/admin/cart-recovery-experiments/report?id=" + experimentId);
        assertThat(await(admin, By.cssSelector("table.cr-experiment-arms")).findElements(By.cssSelector("tr.cr-experiment-arm")))
                .hasSize(4);
    }

    /**
     * A second experiment on the same campaign, split by the bandit: it starts learning, the report has its section on
     * what it prefers, Freeze keeps the shares (the page says since when) and Unfreeze lets it learn again.
     */
    private void bandit(ChromeDriver admin, long campaignId) throws Exception {
        admin.get(base + "/admin/cart-recovery-experiments?campaignId=" + campaignId);
        WebElement form = await(admin, By.id("cr-experiment-form"));
        type(form, "name", "E2E bandit on the first subject");
        new Select(form.findElement(By.name("allocation"))).selectByValue("BANDIT");
        type(form, "arms[1].name", "Forgot something");
        type(form, "arms[1].steps[0].stepNo", "1");
        type(form, "arms[1].steps[0].subject", SUBJECT_B);
        click(admin, By.id("cr-experiment-save"));
        assertThat(await(admin, By.cssSelector(".cr-saved")).getText()).isEqualTo("Saved.");
        long experimentId = jdbc().queryForObject("SELECT ID FROM CR_EXPERIMENT WHERE NAME = ?", Long.class,
                "E2E bandit on the first subject");
        assertThat(jdbc().queryForObject("SELECT ALLOCATION FROM CR_EXPERIMENT WHERE ID = ?", String.class, experimentId))
                .isEqualTo("BANDIT");
        click(admin, By.cssSelector("#cr-experiment-start button[type='submit']"));
        assertThat(await(admin, By.cssSelector(".cr-bandit-state")).getText()).startsWith("Learning");

        click(admin, By.cssSelector("#cr-experiment-freeze button[type='submit']"));
        assertThat(await(admin, By.cssSelector(".cr-bandit-state")).getText()).startsWith("Frozen since");
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM CR_EXPERIMENT WHERE ID = ? AND FROZEN_AT IS NOT NULL",
                Integer.class, experimentId)).isEqualTo(1);
        click(admin, By.cssSelector("#cr-experiment-unfreeze button[type='submit']"));
        assertThat(await(admin, By.cssSelector(".cr-bandit-state")).getText()).startsWith("Learning");
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM CR_EXPERIMENT WHERE ID = ? AND FROZEN_AT IS NULL",
                Integer.class, experimentId)).isEqualTo(1);

        admin.get(base + "/admin/cart-recovery-experiments/report?id=" + experimentId);
        assertThat(await(admin, By.cssSelector(".cr-bandit h3")).getText()).isEqualTo("What the bandit prefers");
    }

    /** Waits until the simulated shoppers who came back from their emails have been attributed to the arms. */
    private static void awaitRecoveredCarts(long experimentId, long atLeast, Duration within) throws InterruptedException {
        ExperimentResults results = demo.storeContext().getBean("crExperimentResults", ExperimentResults.class);
        long deadline = System.nanoTime() + within.toNanos();
        long recovered = 0;
        while (System.nanoTime() < deadline) {
            recovered = results.countsFor(experimentId).stream().mapToLong(ArmCounts::getRecoveredCarts).sum();
            if (recovered >= atLeast) {
                return;
            }
            Thread.sleep(3_000);
        }
        assertThat(recovered).as("carts recovered in the experiment's arms within " + within).isGreaterThanOrEqualTo(atLeast);
    }

    private static void logIn(ChromeDriver driver) {
        driver.get(base + "/admin/login");
        WebElement form = await(driver, By.cssSelector("form input[name='j_username']")).findElement(By.xpath("./ancestor::form"));
        form.findElement(By.name("j_username")).sendKeys(DemoStore.ADMIN_LOGIN);
        form.findElement(By.name("j_password")).sendKeys(DemoStore.ADMIN_PASSWORD);
        form.findElement(By.cssSelector("input[type='submit']")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(Chromium.gone(form));
        driver.get(base + "/admin/"); // the demo's success handler may land on the login page again; the session is signed in
        assertThat(driver.getPageSource()).contains("adminLogout");
    }

    /** Clicks and waits for the next page (the forms post and answer with a new page). */
    private static void click(ChromeDriver driver, By what) {
        WebElement button = driver.findElement(what);
        driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", button);
        button.click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(Chromium.gone(button));
    }

    /** A GET with the browser's admin session cookie (for what a browser downloads rather than shows). */
    private static HttpResponse<String> asBrowser(ChromeDriver driver, String url) throws IOException, InterruptedException {
        String cookies = driver.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build().send(
                HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookies).header("User-Agent", Chromium.USER_AGENT)
                        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void type(WebElement form, String name, String value) {
        WebElement field = form.findElement(By.name(name));
        field.clear();
        field.sendKeys(value);
    }

    private static WebElement await(ChromeDriver driver, By what) {
        return new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(what));
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
