package io.github.cartrecovery.personaldata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.BatchUpdateException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class PersonalDataMaskTest {

    @Test
    void anAddressKeepsItsFirstCharacterAndItsDomain() {
        assertThat(PersonalDataMask.email("jane.doe@example.com")).isEqualTo("j***@example.com");
        assertThat(PersonalDataMask.email(" Bob@Example.org ")).isEqualTo("B***@Example.org");
    }

    @Test
    void theLengthOfTheLocalPartIsHidden() {
        assertThat(PersonalDataMask.email("a@example.com")).isEqualTo(PersonalDataMask.email("abcdefgh@example.com"))
                .isEqualTo("a***@example.com");
    }

    @Test
    void whatIsNotAnAddressIsMaskedEntirely() {
        assertThat(PersonalDataMask.email("not an address")).isEqualTo("***");
        assertThat(PersonalDataMask.email("@example.com")).isEqualTo("***");
        assertThat(PersonalDataMask.email("jane@")).isEqualTo("***");
    }

    @Test
    void noValueStaysEmpty() {
        assertThat(PersonalDataMask.email(null)).isNull();
        assertThat(PersonalDataMask.email("  ")).isNull();
        assertThat(PersonalDataMask.ip(null)).isNull();
        assertThat(PersonalDataMask.userAgent(" ")).isNull();
        assertThat(PersonalDataMask.name(null)).isNull();
        assertThat(PersonalDataMask.text(null)).isNull();
    }

    @Test
    void anIpAddressKeepsOnlyItsNetwork() {
        assertThat(PersonalDataMask.ip("203.0.113.77")).isEqualTo("203.0.***.***");
        assertThat(PersonalDataMask.ip("2001:db8:85a3::8a2e:370:7334")).isEqualTo("2001:db8:***");
        assertThat(PersonalDataMask.ip("garbage")).isEqualTo("***");
    }

    @Test
    void aUserAgentKeepsItsFirstProductName() {
        assertThat(PersonalDataMask.userAgent("Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0")).isEqualTo("Mozilla ***");
        assertThat(PersonalDataMask.userAgent("(weird)")).isEqualTo("***");
    }

    @Test
    void aNameKeepsItsFirstCharacter() {
        assertThat(PersonalDataMask.name("Jane")).isEqualTo("J***");
        assertThat(PersonalDataMask.name("\uD83D\uDE00 emoji")).isEqualTo("\uD83D\uDE00***");
    }

    @Test
    void aPhoneNumberKeepsItsCountryCodeAndLastTwoDigits() {
        assertThat(PersonalDataMask.phone("+4915123456789")).isEqualTo("+49***89");
        assertThat(PersonalDataMask.phone("+12015550123")).isEqualTo("+1***23");
        assertThat(PersonalDataMask.phone("+35312345678")).as("three-digit country code").isEqualTo("+353***78");
        assertThat(PersonalDataMask.phone("+44 7400 123456")).isEqualTo("+44***56");
        assertThat(PersonalDataMask.mask(PersonalData.Kind.PHONE, "+33612345678")).isEqualTo("+33***78");
    }

    @Test
    void aPhoneNumberWithoutCountryCodeKeepsOnlyItsLastTwoDigits() {
        assertThat(PersonalDataMask.phone("(201) 555-0123")).isEqualTo("***23");
        assertThat(PersonalDataMask.phone("12345")).as("too short to show anything").isEqualTo("***");
        assertThat(PersonalDataMask.phone("not a number")).isEqualTo("***");
        assertThat(PersonalDataMask.phone(" ")).isNull();
        assertThat(PersonalDataMask.phone(null)).isNull();
    }

    @Test
    void freeTextLosesEveryE164NumberInIt() {
        String providerError = "21211: The 'To' number +15005550001 is not a valid phone number; retry +4915123456789. Code +1234";

        assertThat(PersonalDataMask.text(providerError))
                .isEqualTo("21211: The 'To' number +1***01 is not a valid phone number; retry +49***89. Code +1234");
    }

    @Test
    void freeTextLosesEveryAddressInItAndKeepsItsWords() {
        String reply = "550 5.1.1 <jane.doe@example.com>: Recipient address rejected; also bob@example.org. From 203.0.113.7"
                + " or 2001:db8::1 at 10:42:07, version 1.2.3.4567";

        assertThat(PersonalDataMask.text(reply)).isEqualTo("550 5.1.1 <j***@example.com>: Recipient address rejected; also b***@example.org."
                + " From 203.0.***.*** or 2001:db8:*** at 10:42:07, version 1.2.3.4567");
    }

    @Test
    void maskingTwiceChangesNothing() {
        String once = PersonalDataMask.text("to jane@example.com from 198.51.100.2");

        assertThat(PersonalDataMask.text(once)).isEqualTo(once);
    }

    @Test
    void aLongTextIsMaskedWithoutBacktracking() {
        String noAt = "x".repeat(2_000_000);
        String manyAts = "a@b.c ".repeat(300_000);

        // a backtracking pattern takes hours on these; the linear scan well under a second (no speed goal: a bound)
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            assertThat(PersonalDataMask.text(noAt)).isEqualTo(noAt);
            assertThat(PersonalDataMask.text(manyAts)).startsWith("a***@b.c a***@b.c");
        });
    }

    @Test
    void aFailureToLogKeepsItsClassesAndStackButNoAddress() {
        SQLException row = new SQLException("ERROR: value too long; Detail: Key (email)=(jane.doe@example.com)");
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO CR_CAPTURED_CART VALUES ('jane.doe@example.com') was aborted",
                new int[0]);
        batch.setNextException(row);
        RuntimeException failure = new IllegalStateException("flush failed for bob@example.org", batch);

        Throwable masked = PersonalDataMask.failure(failure);

        String printed = printed(masked);
        assertThat(printed).doesNotContain("jane.doe@example.com").doesNotContain("bob@example.org")
                .contains("java.lang.IllegalStateException: flush failed for b***@example.org")
                .contains("java.sql.BatchUpdateException: Batch entry 0 INSERT INTO CR_CAPTURED_CART VALUES ('j***@example.com') was aborted")
                .contains("java.sql.SQLException: ERROR: value too long; Detail: Key (email)=(j***@example.com)")
                .contains("at " + PersonalDataMaskTest.class.getName());
        assertThat(masked.getStackTrace()).isEqualTo(failure.getStackTrace());
    }

    @Test
    void aFailureThatIsItsOwnCauseCycleIsMaskedOnce() {
        IllegalStateException a = new IllegalStateException("a@example.com");
        IllegalArgumentException b = new IllegalArgumentException("b", a);
        a.initCause(b);

        Throwable masked = PersonalDataMask.failure(a);

        assertThat(masked.getCause().getCause()).isSameAs(masked);
        assertThat(masked.getMessage()).isEqualTo("a***@example.com");
    }

    private static String printed(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
