package io.github.cartrecovery.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TwilioAccountTest {

    @Test
    void anAccountThatIsOffReadsNoSetting() {
        TwilioAccount off = new TwilioAccount(false, "", "", "", "");
        assertThat(off.isEnabled()).isFalse();
        assertThatThrownBy(off::signature).hasMessageContaining("cartrecovery.sms.enabled=false");
    }

    @Test
    void everyMissingSettingOfAnAccountThatIsOnNamesItsProperty() {
        assertThatThrownBy(() -> new TwilioAccount(true, "ftp://x", "AC1", "t", "+15005550006"))
                .hasMessageContaining("cartrecovery.sms.provider.base-url");
        assertThatThrownBy(() -> new TwilioAccount(true, "https://api.twilio.com", "", "t", "+15005550006"))
                .hasMessageContaining("cartrecovery.sms.provider.account-sid");
        assertThatThrownBy(() -> new TwilioAccount(true, "https://api.twilio.com", "AC1", " ", "+15005550006"))
                .hasMessageContaining("cartrecovery.sms.provider.auth-token");
        assertThatThrownBy(() -> new TwilioAccount(true, "https://api.twilio.com", "AC1", "t", "0151 123"))
                .hasMessageContaining("cartrecovery.sms.provider.from");
    }

    @Test
    void theAuthTokenIsNeverPrinted() {
        TwilioAccount account = new TwilioAccount(true, "https://api.twilio.com/", "AC1", "very-secret", "MyShop");
        assertThat(account.toString()).doesNotContain("very-secret");
        assertThat(account.getBaseUrl()).isEqualTo("https://api.twilio.com");
    }
}
