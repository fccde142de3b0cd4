package io.github.cartrecovery.demotest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.github.cartrecovery.demo.seed.DemoSeed;

/**
 * The three default emails (gentle reminder, value reminder, last call) as the demo store sends them: the operator sends
 * each as a test from the admin's Preview and Test Send screen (the same builder as a real send: layout, MIME parts,
 * List-Unsubscribe, Message-ID); each arrives in the demo's mailbox, is scored by Debian's SpamAssassin with local tests
 * only (score below 1.0 and no rule about HTML, images or the Message-ID; HTML_MESSAGE, which only says that an HTML
 * part exists and scores 0.001, is allowed), and is photographed at 600 and 375 pixels wide into
 * {@code docs/images/email-<template>-<width>.png} (docs/emails.md shows them). Takes about two minutes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmailQualityBrowserE2E {

    static final Path SCREENSHOTS = Path.of("target", "e2e-screenshots");
    static final Path DOCS_IMAGES = Path.of("..", "docs", "images");
    static final List<String> TEMPLATES = List.of("gentle-reminder", "value-reminder", "last-call");
    /** Rules about HTML, images or the Message-ID (SpamAssassin's names), except the informational HTML_MESSAGE. */
    static final Pattern FORBIDDEN_RULE = Pattern.compile(".*(HTML|IMAGE|IMG|MSGID|MESSAGEID|MID_|_MID|MIME).*");

    @TempDir
    static Path work;

    static DemoUnderTest demo;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Chromium.installIfMissing();
        SpamAssassin.installIfMissing();
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
    void theThreeDefaultEmailsScoreCleanWithSpamAssassinAndArePhotographedAtDesktopAndPhoneWidth() throws Exception {
        ChromeDriver admin = Chromium.newSession(work.resolve("profiles"));
        List<String> verdicts = new ArrayList<>();
        try {
            demo.logInAsAdmin(admin);
            for (String template : TEMPLATES) {
                Long stepId = demo.jdbc().queryForObject("SELECT MIN(s.ID) FROM CR_CAMPAIGN_STEP s JOIN CR_CAMPAIGN c "
                        + "ON c.ID = s.CAMPAIGN_ID WHERE c.NAME = ? AND s.TEMPLATE = ?", Long.class,
                        DemoSeed.CAMPAIGN_NAME, template);
                assertThat(stepId).as("the demo campaign has a " + template + " step").isNotNull();
                String to = template + "@quality.example.com";
                admin.get(base + "/admin/cart-recovery-preview?stepId=" + stepId + "&locale=en_US&currency=USD");
                WebElement field = DemoUnderTest.await(admin, By.name("to"));
                field.sendKeys(to);
                field.submit();
                DemoUnderTest.await(admin, By.cssSelector(".cr-sent"));
                int index = mailIndex(to);

                byte[] raw = get("/mailbox/message/" + index + ".eml");
                assertThat(new String(raw, StandardCharsets.US_ASCII)).contains("List-Unsubscribe:")
                        .contains("multipart/alternative");
                SpamAssassin.Verdict verdict = SpamAssassin.score(raw);
                verdicts.add(template + ": " + verdict);
                assertThat(verdict.score()).as(template + " " + verdict).isLessThan(1.0);
                assertThat(verdict.rules()).as(template + " hit no rule about HTML, images or the Message-ID")
                        .allSatisfy(rule -> assertThat("HTML_MESSAGE".equals(rule) || !FORBIDDEN_RULE.matcher(rule).matches())
                                .as(rule).isTrue());

                for (int width : new int[] {600, 375}) {
                    admin.manage().window().setSize(new Dimension(width, 1600));
                    admin.get(base + "/mailbox/message/" + index + ".html");
                    DemoUnderTest.await(admin, By.cssSelector("table"));
                    String name = "email-" + template + "-" + width;
                    Chromium.screenshot(admin, SCREENSHOTS, name);
                    Files.createDirectories(DOCS_IMAGES);
                    Files.copy(SCREENSHOTS.resolve(name + ".png"), DOCS_IMAGES.resolve(name + ".png"),
                            StandardCopyOption.REPLACE_EXISTING);
                }
                admin.manage().window().setSize(new Dimension(1280, 1024));
            }
        } finally {
            admin.quit();
            System.out.println("SpamAssassin (local tests): " + verdicts);
        }
    }

    /**
     * The operator edits the gentle reminder's words in Email Templates: a merge field that does not exist is refused
     * next to its field with nothing saved; typing updates the preview beside the editor (desktop and phone width);
     * saving makes a version, and the next test email carries the new words. The editor with its preview is
     * photographed into {@code docs/images/admin-email-template-editor.png}.
     */
    @Test
    @Order(2)
    void theOperatorEditsATemplateWithItsLivePreviewAndTheNextEmailUsesTheNewVersion() throws Exception {
        ChromeDriver admin = Chromium.newSession(work.resolve("profiles"));
        try {
            demo.logInAsAdmin(admin);
            admin.manage().window().setSize(new Dimension(1600, 1200));
            admin.get(base + "/admin/cart-recovery-templates/edit?template=gentle-reminder&locale=en");
            WebElement heading = DemoUnderTest.await(admin, By.name("heading"));
            heading.clear();
            heading.sendKeys("Hi {{nickname}}");
            admin.findElement(By.id("cr-template-save")).click();
            assertThat(DemoUnderTest.await(admin, By.cssSelector(".cr-field-error[data-field='heading']")).getText())
                    .contains("nickname");
            assertThat(versions()).as("a refused template saves nothing").isZero();

            heading = admin.findElement(By.name("heading"));
            heading.clear();
            heading.sendKeys("Still thinking it over, {{^first_name}}friend{{/first_name}}{{first_name}}?");
            new WebDriverWait(admin, Duration.ofSeconds(30)).until(driver -> {
                java.util.List<WebElement> frames = driver.findElements(By.cssSelector("iframe.cr-preview-phone"));
                return !frames.isEmpty() && frames.get(0).getAttribute("srcdoc").contains("Still thinking it over, Alex?");
            });
            assertThat(admin.findElement(By.cssSelector("iframe.cr-preview-desktop")).getAttribute("sandbox")).isEmpty();
            // the Preview button renders the whole page again: the earlier refusal is gone, the preview below the form
            WebElement before = admin.findElement(By.name("heading"));
            admin.findElement(By.id("cr-template-preview")).click();
            new WebDriverWait(admin, Duration.ofSeconds(30)).until(Chromium.gone(before));
            DemoUnderTest.await(admin, By.cssSelector("iframe.cr-preview-phone"));
            assertThat(admin.findElements(By.cssSelector(".cr-field-error"))).isEmpty();
            admin.manage().window().setSize(new Dimension(1600, 2300));
            Chromium.screenshot(admin, SCREENSHOTS, "admin-email-template-editor");
            admin.manage().window().setSize(new Dimension(1600, 1200));
            Files.createDirectories(DOCS_IMAGES);
            Files.copy(SCREENSHOTS.resolve("admin-email-template-editor.png"),
                    DOCS_IMAGES.resolve("admin-email-template-editor.png"), StandardCopyOption.REPLACE_EXISTING);

            admin.findElement(By.id("cr-template-save")).click();
            assertThat(DemoUnderTest.await(admin, By.cssSelector(".cr-saved")).getText()).contains("version 1");
            assertThat(versions()).isEqualTo(1);

            Long stepId = demo.jdbc().queryForObject("SELECT MIN(s.ID) FROM CR_CAMPAIGN_STEP s JOIN CR_CAMPAIGN c "
                    + "ON c.ID = s.CAMPAIGN_ID WHERE c.NAME = ? AND s.TEMPLATE = 'gentle-reminder'", Long.class,
                    DemoSeed.CAMPAIGN_NAME);
            String to = "edited@quality.example.com";
            admin.get(base + "/admin/cart-recovery-preview?stepId=" + stepId + "&locale=en_US&currency=USD");
            WebElement field = DemoUnderTest.await(admin, By.name("to"));
            field.sendKeys(to);
            field.submit();
            DemoUnderTest.await(admin, By.cssSelector(".cr-sent"));
            // the mailbox's page of the message shows its text part, decoded
            String shown = new String(get("/mailbox/message/" + mailIndex(to)), StandardCharsets.UTF_8);
            assertThat(shown).contains("Still thinking it over, Alex?");
        } finally {
            admin.quit();
        }
    }

    private static int versions() {
        return demo.jdbc().queryForObject("SELECT COUNT(*) FROM CR_EMAIL_TEMPLATE_VERSION WHERE TEMPLATE_NAME = "
                + "'gentle-reminder'", Integer.class);
    }

    private static int mailIndex(String to) throws Exception {
        Pattern entry = Pattern.compile("\\{\"index\":(\\d+),\"to\":\"" + Pattern.quote(to) + "\"");
        for (int attempt = 0; attempt < 60; attempt++) {
            Matcher matcher = entry.matcher(new String(get("/mailbox/messages.json"), StandardCharsets.UTF_8));
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no test email to " + to + " in the mailbox");
    }

    private static byte[] get(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
