package io.github.cartrecovery.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ScannerRulesTest {

    static final Instant SENT = Instant.parse("2026-01-05T10:00:00Z");

    /** The shipped defaults (common.properties), with no address ranges. */
    static ScannerRules defaults() {
        return new ScannerRules(Defaults.property("cartrecovery.tracking.scanner-user-agents"), "",
                Integer.parseInt(Defaults.property("cartrecovery.tracking.scanner-window-seconds")));
    }

    static List<RecordedVisits.Visit> recorded() {
        return RecordedVisits.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recorded")
    void eachRecordedRequestPatternGetsItsVerdict(RecordedVisits.Visit visit) {
        assertThat(defaults().classify(visit.at(SENT), SENT).getKind()).as(visit.description()).isEqualTo(visit.expect());
    }

    @Test
    void theRecordingsCoverGatewaysAndPeople() {
        assertThat(RecordedVisits.expecting(VisitVerdict.Kind.SCANNER)).hasSizeGreaterThanOrEqualTo(6);
        assertThat(RecordedVisits.expecting(VisitVerdict.Kind.EARLY)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(RecordedVisits.expecting(VisitVerdict.Kind.PERSON)).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void aHeadRequestIsAScannerWhateverItsUserAgentAndTiming() {
        RecordedVisits.Visit person = RecordedVisits.named("chrome-desktop");
        LinkVisit head = new LinkVisit("HEAD", person.userAgent(), person.address(), SENT.plusSeconds(86400));

        assertThat(defaults().classify(head, SENT)).satisfies(verdict -> {
            assertThat(verdict.getKind()).isEqualTo(VisitVerdict.Kind.SCANNER);
            assertThat(verdict.getReason()).isEqualTo("HEAD request");
            assertThat(verdict.mayRestore()).isFalse();
        });
    }

    @Test
    void aBrowserWithinTheWindowIsEarlyAndAfterItAPerson() {
        RecordedVisits.Visit person = RecordedVisits.named("chrome-desktop");
        ScannerRules rules = new ScannerRules("mimecast", "", 10);

        VisitVerdict early = rules.classify(new LinkVisit("GET", person.userAgent(), null, SENT.plusSeconds(9)), SENT);
        VisitVerdict later = rules.classify(new LinkVisit("GET", person.userAgent(), null, SENT.plusSeconds(10)), SENT);

        assertThat(early.getKind()).isEqualTo(VisitVerdict.Kind.EARLY);
        assertThat(early.getReason()).isEqualTo("within 9 s of sending");
        assertThat(early.isPerson()).isFalse();
        assertThat(early.mayRestore()).isTrue();
        assertThat(later.isPerson()).isTrue();
    }

    @Test
    void aWindowOfZeroSwitchesTheTimeRuleOff() {
        RecordedVisits.Visit person = RecordedVisits.named("chrome-desktop");

        assertThat(new ScannerRules("", "", 0).classify(new LinkVisit("GET", person.userAgent(), null, SENT), SENT).isPerson())
                .isTrue();
    }

    @Test
    void aMessageNotSentYetHasNoTimeRule() {
        RecordedVisits.Visit person = RecordedVisits.named("chrome-desktop");

        assertThat(defaults().classify(person.at(SENT), null).isPerson()).isTrue();
    }

    @Test
    void anAddressInAConfiguredRangeIsAScannerAndTheReasonNamesTheRangeNotTheAddress() {
        RecordedVisits.Visit disguised = RecordedVisits.named("safe-links-detonation");
        ScannerRules rules = new ScannerRules("", "40.92.0.0/15, 2603:10a6::/32", 0);

        VisitVerdict v4 = rules.classify(new LinkVisit("GET", disguised.userAgent(), "40.93.1.200", SENT.plusSeconds(3600)), SENT);
        VisitVerdict v6 = rules.classify(new LinkVisit("GET", disguised.userAgent(), "2603:10a6:20b::1", SENT), SENT);
        VisitVerdict mapped = rules.classify(new LinkVisit("GET", disguised.userAgent(), "::ffff:40.92.5.5", SENT), SENT);
        VisitVerdict outside = rules.classify(new LinkVisit("GET", disguised.userAgent(), "40.94.1.1", SENT), SENT);

        assertThat(v4.getReason()).isEqualTo("address in scanner range 40.92.0.0/15").doesNotContain("40.93.1.200");
        assertThat(v6.getKind()).isEqualTo(VisitVerdict.Kind.SCANNER);
        assertThat(mapped.getKind()).isEqualTo(VisitVerdict.Kind.SCANNER);
        assertThat(outside.isPerson()).isTrue();
    }

    @Test
    void userAgentTokensMatchWithoutRegardToCase() {
        ScannerRules rules = new ScannerRules("Mimecast", "", 0);

        assertThat(rules.classify(new LinkVisit("get", "MIMECAST-url-protect", null, SENT), SENT).getReason())
                .isEqualTo("scanner user agent (mimecast)");
    }

    @Test
    void aRangeThatIsNotAnAddressIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new ScannerRules("", "10.0.0.0/8, not-a-range", 10))
                .hasMessage("cartrecovery.tracking.scanner-ip-ranges: 'not-a-range' is not an IP address or CIDR range");
        assertThatThrownBy(() -> new ScannerRules("", "", -1))
                .hasMessage("cartrecovery.tracking.scanner-window-seconds must be 0 or more, was -1");
    }
}
