package io.github.cartrecovery.site.guestemail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Scriptable;

/**
 * The storefront snippet ({@code cartrecovery/capture.js}) run in Rhino against a fake browser
 * ({@code fake-browser.js}): timers move by hand, sendBeacon and fetch record what they were given.
 */
class CaptureSnippetTest {

    private Context js;
    private Scriptable page;

    @BeforeEach
    void openPage() throws IOException {
        js = Context.enter();
        js.setLanguageVersion(Context.VERSION_ES6);
        js.setOptimizationLevel(-1);
        page = js.initStandardObjects();
        load("cartrecovery/fake-browser.js");
    }

    @AfterEach
    void closePage() {
        Context.exit();
    }

    @Test
    void blurPostsOnceAfterTheDebounce() throws IOException {
        install();
        run("typeAndLeave('jane@example.com')");

        run("advance(399)");
        assertThat(number("beacons.length")).isZero();
        run("advance(1)");
        assertThat(number("beacons.length")).isEqualTo(1);
        assertThat(text("beacons[0].url")).isEqualTo("/cart-recovery/email");
        assertThat(text("beacons[0].body")).isEqualTo("email=jane%40example.com");
        assertThat(text("beacons[0].type")).isEqualTo("application/x-www-form-urlencoded;charset=UTF-8");
        assertThat(number("fetches.length")).isZero();
    }

    @Test
    void blursInQuickSuccessionPostOnce() throws IOException {
        install();
        run("typeAndLeave('jane@example.com'); advance(200); typeAndLeave('jane@example.com'); advance(200)");
        assertThat(number("beacons.length")).isZero();
        run("advance(200)");
        assertThat(number("beacons.length")).isEqualTo(1);
    }

    @Test
    void sendsTheSameAddressOnlyOnce() throws IOException {
        install();
        run("typeAndLeave('jane@example.com'); advance(1000); typeAndLeave(' jane@example.com '); advance(1000)");
        assertThat(number("beacons.length")).isEqualTo(1);
        run("typeAndLeave('other@example.com'); advance(1000)");
        assertThat(number("beacons.length")).isEqualTo(2);
        assertThat(text("beacons[1].body")).isEqualTo("email=other%40example.com");
    }

    @Test
    void sendsNoConsentWhileTheBoxIsUnticked() throws IOException {
        install();
        run("typeAndLeave('jane@example.com'); advance(1000)");
        assertThat(text("beacons[0].body")).doesNotContain("consent");
    }

    @Test
    void sendsConsentWhenTheBoxIsTicked() throws IOException {
        install();
        run("tick(true); typeAndLeave('jane@example.com'); advance(1000)");
        assertThat(text("beacons[0].body")).isEqualTo("email=jane%40example.com&consent=true");
    }

    @Test
    void tickingAfterTheAddressWasSentSendsItAgainWithConsent() throws IOException {
        install();
        run("typeAndLeave('jane@example.com'); advance(1000); tick(true); advance(1000)");
        assertThat(number("beacons.length")).isEqualTo(2);
        assertThat(text("beacons[1].body")).isEqualTo("email=jane%40example.com&consent=true");
    }

    @Test
    void tickingBeforeAnyAddressSendsNothing() throws IOException {
        install();
        run("tick(true); advance(1000)");
        assertThat(number("beacons.length")).isZero();
    }

    @Test
    void fallsBackToFetchWhenSendBeaconIsMissing() throws IOException {
        run("navigator.sendBeacon = undefined");
        install();
        run("typeAndLeave('jane@example.com'); advance(1000)");
        assertThat(number("fetches.length")).isEqualTo(1);
        assertFetchedKeepalive();
    }

    @Test
    void fallsBackToFetchWhenSendBeaconRefuses() throws IOException {
        run("beaconAnswer = false");
        install();
        run("typeAndLeave('jane@example.com'); advance(1000)");
        assertThat(number("beacons.length")).isEqualTo(1);
        assertThat(number("fetches.length")).isEqualTo(1);
        assertFetchedKeepalive();
    }

    @Test
    void fallsBackToFetchWhenSendBeaconThrows() throws IOException {
        run("navigator.sendBeacon = function () { throw new TypeError('not allowed'); }");
        install();
        run("typeAndLeave('jane@example.com'); advance(1000)");
        assertThat(number("fetches.length")).isEqualTo(1);
    }

    @Test
    void neverSendsAnObviouslyInvalidAddress() throws IOException {
        install();
        for (String invalid : new String[] {"", "jane", "jane@", "@example.com", "jane@example", "jane doe@example.com",
                "jane@example.com, eve@example.com"}) {
            run("typeAndLeave(" + quote(invalid) + "); advance(1000)");
        }
        run("typeAndLeave('x'.repeat(250) + '@example.com'); advance(1000)");
        assertThat(number("beacons.length")).isZero();
        assertThat(number("fetches.length")).isZero();
    }

    @Test
    void sendsBroadleafsCsrfTokenWhenThePageHasOne() throws IOException {
        run("elements['input[name=\"csrfToken\"]'] = { value: 'tok en' }");
        install();
        run("typeAndLeave('jane@example.com'); advance(1000)");
        assertThat(text("beacons[0].body")).isEqualTo("email=jane%40example.com&csrfToken=tok%20en");
    }

    @Test
    void startsItselfFromTheScriptTagsDataAttributes() throws IOException {
        run("document.currentScript = new Element({'data-email': '#email', 'data-consent': '#consent', "
                + "'data-endpoint': '/shop/cart-recovery/email'})");
        load("cartrecovery/capture.js");
        run("tick(true); typeAndLeave('jane@example.com'); advance(1000)");
        assertThat(text("beacons[0].url")).isEqualTo("/shop/cart-recovery/email");
        assertThat(text("beacons[0].body")).isEqualTo("email=jane%40example.com&consent=true");
    }

    @Test
    void doesNothingWhenThePageHasNoEmailField() throws IOException {
        load("cartrecovery/capture.js");
        assertThat(text("String(CartRecovery.captureEmail({ email: '#missing' }))")).isEqualTo("null");
    }

    // ---- phone and SMS consent ----

    @Test
    void thePhoneGoesInARequestOfItsOwnApartFromTheEmail() throws IOException {
        installWithPhone();
        run("tick(true); typeAndLeave('jane@example.com'); typePhoneAndLeave('+44 7400 123456'); advance(1000)");

        assertThat(number("beacons.length")).isEqualTo(2);
        assertThat(text("beacons[0].body")).isEqualTo("email=jane%40example.com&consent=true");
        assertThat(text("beacons[1].body")).isEqualTo("phone=%2B44%207400%20123456");
    }

    @Test
    void sendsSmsConsentOnlyWhileTheSmsBoxIsTickedAndNeverWithTheEmail() throws IOException {
        installWithPhone();
        run("tickSms(true); typeAndLeave('jane@example.com'); typePhoneAndLeave('07400 123456'); advance(1000)");

        assertThat(text("beacons[0].body")).isEqualTo("email=jane%40example.com");
        assertThat(text("beacons[1].body")).isEqualTo("phone=07400%20123456&smsConsent=true");
    }

    @Test
    void aBoxNeverTickedSendsNoSmsConsent() throws IOException {
        installWithPhone();
        run("typePhoneAndLeave('07400 123456'); advance(1000); tickSms(false); advance(1000)");

        assertThat(number("beacons.length")).isEqualTo(1);
        assertThat(text("beacons[0].body")).isEqualTo("phone=07400%20123456");
    }

    @Test
    void untickingAfterAGrantSendsAWithdrawal() throws IOException {
        installWithPhone();
        run("typePhoneAndLeave('07400 123456'); tickSms(true); advance(1000); tickSms(false); advance(1000)");

        assertThat(number("beacons.length")).isEqualTo(2);
        assertThat(text("beacons[0].body")).isEqualTo("phone=07400%20123456&smsConsent=true");
        assertThat(text("beacons[1].body")).isEqualTo("phone=07400%20123456&smsConsent=false");
    }

    @Test
    void untickingAfterClearingTheNumberWithdrawsWithoutANumber() throws IOException {
        installWithPhone();
        run("typePhoneAndLeave('07400 123456'); tickSms(true); advance(1000); typePhoneAndLeave(''); tickSms(false); advance(1000)");

        assertThat(text("beacons[1].body")).isEqualTo("smsConsent=false");
    }

    @Test
    void tickingTheSmsBoxBeforeANumberSendsNothing() throws IOException {
        installWithPhone();
        run("tickSms(true); advance(1000)");

        assertThat(number("beacons.length")).isZero();
    }

    @Test
    void neverSendsAnObviouslyImplausibleNumber() throws IOException {
        installWithPhone();
        for (String invalid : new String[] {"", "12345", "call me", "1-800-FLOWERS", "+44 7400 123456 ext 5", "1".repeat(33)}) {
            run("typePhoneAndLeave(" + quote(invalid) + "); advance(1000)");
        }
        assertThat(number("beacons.length")).isZero();
    }

    @Test
    void sendsAPastedNumberWithoutItsInvisibleMarksAndAFullWidthOneInAscii() throws IOException {
        installWithPhone();
        run("tickSms(true); typePhoneAndLeave('\\u202a+44 7400 123456\\u202c'); advance(1000)");
        run("typePhoneAndLeave('\\uff0b\\uff14\\uff14\\u3000\\uff17\\uff14\\uff10\\uff10\\u3000\\uff16\\uff15\\uff14\\uff13\\uff12\\uff11'); advance(1000)");

        assertThat(number("beacons.length")).isEqualTo(2);
        assertThat(text("beacons[0].body")).isEqualTo("phone=%2B44%207400%20123456&smsConsent=true");
        assertThat(text("beacons[1].body")).isEqualTo("phone=%2B44%207400%20654321&smsConsent=true");
    }

    @Test
    void startsItselfFromAPhoneFieldAlone() throws IOException {
        run("document.currentScript = new Element({'data-phone': '#phone', 'data-sms-consent': '#sms'})");
        load("cartrecovery/capture.js");
        run("tickSms(true); typePhoneAndLeave('(201) 555-0123'); advance(1000)");

        assertThat(text("beacons[0].url")).isEqualTo("/cart-recovery/email");
        assertThat(text("beacons[0].body")).isEqualTo("phone=(201)%20555-0123&smsConsent=true");
    }

    private void installWithPhone() throws IOException {
        load("cartrecovery/capture.js");
        run("CartRecovery.captureEmail({ email: '#email', consent: '#consent', phone: '#phone', smsConsent: '#sms' })");
    }

    private void assertFetchedKeepalive() {
        assertThat(text("fetches[0].url")).isEqualTo("/cart-recovery/email");
        assertThat(text("fetches[0].method")).isEqualTo("POST");
        assertThat(text("fetches[0].body")).isEqualTo("email=jane%40example.com");
        assertThat(text("fetches[0].type")).isEqualTo("application/x-www-form-urlencoded;charset=UTF-8");
        assertThat(text("String(fetches[0].keepalive)")).isEqualTo("true");
        assertThat(text("fetches[0].credentials")).isEqualTo("same-origin");
    }

    private void install() throws IOException {
        load("cartrecovery/capture.js");
        run("CartRecovery.captureEmail({ email: '#email', consent: '#consent' })");
    }

    private void load(String resource) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource);
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            js.evaluateReader(page, reader, resource, 1, null);
        }
    }

    private Object run(String script) {
        return js.evaluateString(page, script, "test", 1, null);
    }

    private String text(String expression) {
        return Context.toString(run(expression));
    }

    private int number(String expression) {
        return (int) Context.toNumber(run(expression));
    }

    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
