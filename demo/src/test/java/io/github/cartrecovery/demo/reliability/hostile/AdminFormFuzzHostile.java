package io.github.cartrecovery.demo.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.cartrecovery.demo.DemoStore;
import io.github.cartrecovery.demo.seed.DemoSeed;

/**
 * The plugin's campaign editor in the demo's admin ({@code /admin/cart-recovery-campaign-editor}), signed in as
 * admin/admin through the real login form, fed invalid data: garbage, negative and huge numbers, too long texts,
 * script payloads in names and subjects, missing fields, unknown enum values, another campaign's name, ids that are
 * not campaigns. Every answer is the editor again with the problem on its field (no 5xx, no stack trace, every
 * payload escaped), and no campaign, step, subject or condition is saved.
 */
@ExtendWith(HostileDemo.class)
class AdminFormFuzzHostile {

    static final String EDITOR = "/admin/cart-recovery-campaign-editor";
    static final String[] CAMPAIGN_TABLES = {"CR_CAMPAIGN", "CR_CAMPAIGN_STEP", "CR_CAMPAIGN_STEP_SUBJECT", "CR_CAMPAIGN_CONDITION"};

    static Shopper admin;

    @BeforeAll
    static void signIn() throws Exception {
        admin = new Shopper(HostileDemo.base());
        admin.get("/admin/login");
        HttpResponse<String> posted = admin.post("/admin/login_admin_post",
                Map.of("j_username", DemoStore.ADMIN_LOGIN, "j_password", DemoStore.ADMIN_PASSWORD));
        assertThat(posted.headers().firstValue("Location").orElse("")).doesNotContain("login_error");
        HttpResponse<String> editor = admin.get(EDITOR);
        assertThat(editor.statusCode()).isEqualTo(200);
        assertThat(editor.body()).contains("cr-campaign-form", "name=\"csrfToken\"");
    }

    /** A campaign the validator accepts; each case below breaks it in one way. */
    static Map<String, String> validCampaign() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("stepRows", "1");
        form.put("conditionRows", "1");
        form.put("subjectRows", "1");
        form.put("name", "Hostile fuzz campaign");
        form.put("status", "DISABLED");
        form.put("priority", "0");
        form.put("steps[0].stepNo", "1");
        form.put("steps[0].delayMinutes", "60");
        form.put("steps[0].template", "gentle-reminder");
        form.put("steps[0].couponPolicy", "NONE");
        form.put("steps[0].subjects[0].locale", "*");
        form.put("steps[0].subjects[0].text", "You left something behind");
        return form;
    }

    record Case(String name, Map<String, String> form, String expectedProblem) {
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String script = "<script>alert('crx1')</script>";
        String attribute = "\"><img src=x onerror=alert('crx2')>";
        cases.add(with("no name", "name", "", "Name: must not be empty"));
        cases.add(with("a name of spaces", "name", "   ", "Name: must not be empty"));
        cases.add(with("a name of 256 characters", "name", "n".repeat(256), "Name"));
        cases.add(with("a name of 100 KB", "name", "n".repeat(100_000), "Name"));
        cases.add(with("the name of the seeded campaign", "name", DemoSeed.CAMPAIGN_NAME, "Name"));
        cases.add(with("a script name and no template", Map.of("name", script, "steps[0].template", ""), "template"));
        cases.add(with("a script name and a script template", Map.of("name", attribute, "steps[0].template", script), "template"));
        cases.add(with("a script subject and a negative delay", Map.of("steps[0].subjects[0].text", script, "steps[0].delayMinutes", "-5"),
                "delay (minutes): must not be negative"));
        cases.add(with("a priority of letters", "priority", "high", "Priority: not a whole number"));
        cases.add(with("a priority beyond int", "priority", "99999999999999999999", "Priority: not a whole number"));
        cases.add(with("a priority in SQL", "priority", "1; DROP TABLE CR_CAMPAIGN; --", "Priority: not a whole number"));
        cases.add(with("a delay beyond int", "steps[0].delayMinutes", "2147483648", "delay (minutes): not a whole number"));
        cases.add(with("a delay with a fraction", "steps[0].delayMinutes", "1.5", "delay (minutes): not a whole number"));
        cases.add(with("a delay in exponent form", "steps[0].delayMinutes", "1e10", "delay (minutes): not a whole number"));
        cases.add(with("a negative delay", "steps[0].delayMinutes", "-2147483648", "delay (minutes): must not be negative"));
        cases.add(with("a delay over a year", "steps[0].delayMinutes", "2147483647", "delay"));
        cases.add(with("no delay", "steps[0].delayMinutes", "", "delay: required"));
        cases.add(with("a step number of letters", "steps[0].stepNo", "one", "step number: not a whole number"));
        cases.add(with("step number zero", "steps[0].stepNo", "0", "step number"));
        cases.add(with("a negative step number", "steps[0].stepNo", "-1", "step number"));
        cases.add(with("no steps", Map.of("steps[0].template", "", "steps[0].delayMinutes", "", "steps[0].stepNo", ""), "Steps: a campaign needs at least one step"));
        cases.add(with("negative step rows", "stepRows", "-3", "Steps: a campaign needs at least one step"));
        cases.add(with("a million subject rows", Map.of("subjectRows", "1000000", "steps[0].template", "nope"), "template"));
        cases.add(with("no default subject", Map.of("steps[0].subjects[0].locale", "de"), "subject"));
        cases.add(with("no subject text", Map.of("steps[0].subjects[0].text", ""), "subject"));
        cases.add(with("a subject of 256 characters", "steps[0].subjects[0].text", "s".repeat(256), "subject"));
        cases.add(with("a locale of 17 characters", Map.of("subjectRows", "2", "steps[0].subjects[1].locale", "l".repeat(17),
                "steps[0].subjects[1].text", "Hallo"), "subject"));
        cases.add(with("an unknown template", "steps[0].template", "../../WEB-INF/web", "template"));
        cases.add(with("a template of 101 characters", "steps[0].template", "t".repeat(101), "template"));
        cases.add(with("an unknown coupon policy", "steps[0].couponPolicy", "FREE_STUFF", "coupon policy"));
        cases.add(with("a coupon in step 1", Map.of("steps[0].couponPolicy", "ANY", "steps[0].couponOffer", "Cart recovery: 10% off"), "coupon policy"));
        cases.add(with("a negative coupon value", Map.of("steps[0].stepNo", "2", "steps[0].couponPolicy", "ANY",
                "steps[0].couponOffer", "Cart recovery: 10% off", "steps[0].couponValue", "-10"), "maximum discount"));
        cases.add(with("a coupon value of 400 digits", Map.of("steps[0].stepNo", "2", "steps[0].couponPolicy", "ANY",
                "steps[0].couponOffer", "Cart recovery: 10% off", "steps[0].couponValue", "9".repeat(400)), "maximum discount"));
        cases.add(with("a coupon value of garbage", Map.of("steps[0].stepNo", "2", "steps[0].couponPolicy", "ANY",
                "steps[0].couponOffer", "Cart recovery: 10% off", "steps[0].couponValue", "ten"), "maximum discount: not a number"));
        cases.add(with("negative coupon hours", Map.of("steps[0].stepNo", "2", "steps[0].couponPolicy", "ANY",
                "steps[0].couponOffer", "Cart recovery: 10% off", "steps[0].couponValidHours", "-1"), "coupon valid for (hours)"));
        cases.add(with("a coupon offer in SQL", Map.of("steps[0].stepNo", "2", "steps[0].couponPolicy", "ANY",
                "steps[0].couponOffer", "' OR '1'='1"), "coupon offer"));
        cases.add(with("an unknown status", "status", "ENABLED\r\nX-Injected: 1", "Status"));
        cases.add(with("an unknown condition", "conditions[0].type", "DROP TABLE", "type: unknown condition"));
        cases.add(with("a minimum cart value without currency", Map.of("conditions[0].type", "MIN_CART_VALUE", "conditions[0].numberValue", "10"),
                "MIN_CART_VALUE"));
        cases.add(with("a currency of 4 letters", Map.of("conditions[0].type", "MIN_CART_VALUE", "conditions[0].currencyCode", "USDX",
                "conditions[0].numberValue", "10"), "currency"));
        cases.add(with("a cart value of 30 digits", Map.of("conditions[0].type", "MIN_CART_VALUE", "conditions[0].currencyCode", "USD",
                "conditions[0].numberValue", "1" + "0".repeat(29)), "amount"));
        cases.add(with("a cart value with 10 decimals", Map.of("conditions[0].type", "MAX_CART_VALUE", "conditions[0].currencyCode", "USD",
                "conditions[0].numberValue", "0.0000000001"), "amount"));
        cases.add(with("an item count of garbage", Map.of("conditions[0].type", "MIN_ITEMS", "conditions[0].numberValue", "many"),
                "amount: not a number"));
        cases.add(with("a locale condition of 65 characters", Map.of("conditions[0].type", "LOCALE", "conditions[0].textValue", "x".repeat(65)),
                "value"));
        cases.add(with("a locale condition with a script", Map.of("conditions[0].type", "LOCALE", "conditions[0].textValue", script,
                "steps[0].template", ""), "template"));
        cases.add(with("an id of letters", "id", "abc", "Campaign: not a campaign id"));
        cases.add(with("an id in SQL", "id", "1 OR 1=1", "Campaign: not a campaign id"));
        cases.add(with("an id of no campaign", "id", "987654321", "Campaign: no campaign 987654321"));
        cases.add(with("a negative id", "id", "-999", "Campaign: no campaign -999"));
        // the seeded default campaign (id -1), edited with a new step 1 in place of its own and an unknown template
        cases.add(with("the seeded campaign's step id on a new campaign's row", Map.of("steps[0].id", "-1", "steps[0].template", "nope"),
                "template"));
        long demoStep = HostileDemo.jdbc().queryForObject("SELECT MIN(S.ID) FROM CR_CAMPAIGN_STEP S JOIN CR_CAMPAIGN C ON C.ID = S.CAMPAIGN_ID "
                + "WHERE C.NAME = ?", Long.class, DemoSeed.CAMPAIGN_NAME);
        cases.add(with("the default campaign taking the demo campaign's step", Map.of("id", "-1", "name", "Default recovery",
                "steps[0].id", String.valueOf(demoStep)), "is not a step of this campaign"));
        cases.add(with("the default campaign with a new step 1 and no template", Map.of("id", "-1", "name", "Default recovery",
                "steps[0].template", "no-such-template"), "template"));
        return cases;
    }

    @Test
    void invalidCampaignsAreShownBackWithTheirProblemsAndNothingIsSaved() throws Exception {
        Map<String, Long> before = campaignRows();
        HostileResponses answers = new HostileResponses();
        admin.get(EDITOR); // the form page and its CSRF token (one per session)
        long started = System.nanoTime();
        for (Case c : cases()) {
            long sent = System.nanoTime();
            HttpResponse<String> answer = admin.post(EDITOR, c.form());
            System.out.printf("admin fuzz: %-50s %d in %d ms%n", c.name(), answer.statusCode(), (System.nanoTime() - sent) / 1_000_000);
            RawHttp.Response response = new RawHttp.Response(answer.statusCode(), List.of(), answer.body().getBytes(StandardCharsets.UTF_8), "");
            answers.check(c.name(), response, "<script>alert('crx1')", "<img src=x onerror=alert('crx2')>", "X-Injected: 1");
            if (answer.statusCode() != 200) {
                answers.problem(c.name() + ": answered " + answer.statusCode() + " (expected the editor with the problem)");
            } else if (answer.body().contains("cr-saved")) {
                answers.problem(c.name() + ": saved");
            } else if (!answer.body().contains("cr-campaign-form") || !String.join("\n", errors(answer.body())).contains(c.expectedProblem())) {
                answers.problem(c.name() + ": the editor does not show the problem '" + c.expectedProblem() + "': "
                        + errors(answer.body()));
            }
            Map<String, Long> now = campaignRows();
            if (!now.equals(before)) {
                answers.problem(c.name() + ": saved rows: " + before + " -> " + now);
                before = now;
            }
        }
        // random garbage in every field, from a fixed seed
        Random random = new Random(PublicEndpointFuzzHostile.SEED + 7);
        String[] alphabet = {"<", ">", "\"", "'", "&", "%", "-", "9", "e", "\u0000", "\r\n", "\u202e", "\ud83d\ude00", "${7*7}", "#{x}", "a", " "};
        for (int round = 0; round < 15; round++) {
            Map<String, String> form = validCampaign();
            for (Map.Entry<String, String> field : form.entrySet()) {
                // the row counts stay: the editor clamps them to 50 and renders every row (tested once below)
                if (random.nextInt(3) == 0 && !field.getKey().endsWith("Rows")) {
                    StringBuilder garbage = new StringBuilder();
                    for (int i = random.nextInt(12); i >= 0; i--) {
                        garbage.append(alphabet[random.nextInt(alphabet.length)]);
                    }
                    field.setValue(garbage.toString());
                }
            }
            form.put("steps[0].template", "no-such-template-" + round); // never valid: nothing may be saved
            long sent = System.nanoTime();
            HttpResponse<String> answer = admin.post(EDITOR, form);
            System.out.printf("admin fuzz: garbage round %d: %d in %d ms%n", round, answer.statusCode(), (System.nanoTime() - sent) / 1_000_000);
            answers.check("garbage round " + round, new RawHttp.Response(answer.statusCode(), List.of(),
                    answer.body().getBytes(StandardCharsets.UTF_8), ""));
            if (answer.statusCode() != 200 || answer.body().contains("cr-saved")) {
                answers.problem("garbage round " + round + ": " + answer.statusCode() + " " + form);
            }
        }
        answers.expectNoNewRows(before, campaignRows());
        assertThat(answers.problems()).as(answers.report()).isEmpty();
        System.out.printf("%s: %d invalid campaigns refused, nothing saved (%.1f s)%n", getClass().getSimpleName(), answers.checked(),
                (System.nanoTime() - started) / 1e9);
    }

    @Test
    void withoutAValidCsrfTokenOrASignInNothingIsSaved() throws Exception {
        Map<String, Long> before = campaignRows();
        Map<String, String> form = validCampaign();
        form.put("name", "Forged campaign");
        HttpResponse<String> forged = admin.postRaw(EDITOR, Shopper.form(form) + "&csrfToken=forged");
        assertThat(forged.statusCode()).as(forged.body()).isIn(302, 400, 403);
        assertThat(forged.body()).doesNotContainPattern(HostileResponses.LEAK.pattern());
        HttpResponse<String> anonymous = new Shopper(HostileDemo.base()).postRaw(EDITOR, Shopper.form(form));
        assertThat(anonymous.statusCode()).isIn(302, 400, 403);
        assertThat(anonymous.body()).doesNotContainPattern(HostileResponses.LEAK.pattern());
        assertThat(campaignRows()).isEqualTo(before);
    }

    private static Case with(String name, String field, String value, String expectedProblem) {
        return with(name, Map.of(field, value), expectedProblem);
    }

    private static Case with(String name, Map<String, String> changes, String expectedProblem) {
        Map<String, String> form = validCampaign();
        form.putAll(changes);
        return new Case(name, form, expectedProblem);
    }

    private static Map<String, Long> campaignRows() {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : CAMPAIGN_TABLES) {
            rows.put(table, HostileDemo.jdbc().queryForObject("SELECT COUNT(*) FROM " + table, Long.class));
        }
        return rows;
    }

    private static List<String> errors(String page) {
        List<String> errors = new ArrayList<>();
        var matcher = java.util.regex.Pattern.compile("class=\"cr-(?:field-)?error error\"[^>]*>([^<]*)<").matcher(page);
        while (matcher.find()) {
            errors.add(matcher.group(1).replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                    .replace("&amp;", "&"));
        }
        return errors;
    }
}
