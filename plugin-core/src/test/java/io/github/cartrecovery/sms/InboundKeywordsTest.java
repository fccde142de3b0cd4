package io.github.cartrecovery.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.cartrecovery.sms.InboundKeywords.Keyword;

class InboundKeywordsTest {

    @ParameterizedTest
    @ValueSource(strings = {"STOP", "stop", "Stop", " STOP ", "Stop.", "stop!", "STOPALL", "UNSUBSCRIBE", "cancel", "End", "QUIT",
            "\uFF33\uFF34\uFF2F\uFF30", "\uFF53\uFF54\uFF4F\uFF50\uFF01", "\u200BSTOP", "\u202ASTOP\u202C"})
    void stopAndItsSynonymsOptOut(String body) {
        assertThat(InboundKeywords.of(body)).isEqualTo(Keyword.STOP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"START", "start", "Yes", "UNSTOP", " unstop\n"})
    void startAndItsSynonymsOptIn(String body) {
        assertThat(InboundKeywords.of(body)).isEqualTo(Keyword.START);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HELP", "help?", "INFO", "info"})
    void helpAndInfoAskForHelp(String body) {
        assertThat(InboundKeywords.of(body)).isEqualTo(Keyword.HELP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "please don't stop the sale", "stop it", "STOPP", "yes please", "Stöp", "S T O P"})
    void anythingElseIsNoKeyword(String body) {
        assertThat(InboundKeywords.of(body)).isEqualTo(Keyword.NONE);
    }

    @org.junit.jupiter.api.Test
    void noBodyIsNoKeyword() {
        assertThat(InboundKeywords.of(null)).isEqualTo(Keyword.NONE);
    }
}
