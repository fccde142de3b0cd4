package io.github.cartrecovery.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OperationsAccessTest {

    private static final String TOKEN = "s3cret-token-0123456789";

    @Test
    void loopbackSeesDetailsByDefault() {
        OperationsAccess access = new OperationsAccess("127.0.0.1/32,::1/128", "");
        assertThat(access.allowsDetails("127.0.0.1", null)).isTrue();
        assertThat(access.allowsDetails("0:0:0:0:0:0:0:1", null)).isTrue();
        assertThat(access.allowsDetails("::ffff:127.0.0.1", null)).isTrue();
    }

    @Test
    void otherAddressesSeeOnlyTheBareStatus() {
        OperationsAccess access = new OperationsAccess("127.0.0.1/32,10.1.0.0/16", "");
        assertThat(access.allowsDetails("203.0.113.9", null)).isFalse();
        assertThat(access.allowsDetails("10.1.200.3", null)).isTrue();
        assertThat(access.allowsDetails("10.2.0.1", null)).isFalse();
        assertThat(access.allowsDetails("not an address", null)).isFalse();
    }

    @Test
    void theTokenOpensDetailsFromAnywhere() {
        OperationsAccess access = new OperationsAccess("127.0.0.1/32", TOKEN);
        assertThat(access.allowsDetails("203.0.113.9", "Bearer " + TOKEN)).isTrue();
        assertThat(access.allowsDetails("203.0.113.9", "bearer " + TOKEN)).isTrue();
        assertThat(access.allowsDetails("203.0.113.9", "Bearer " + TOKEN + "x")).isFalse();
        assertThat(access.allowsDetails("203.0.113.9", "Basic " + TOKEN)).isFalse();
    }

    @Test
    void withoutATokenNoHeaderOpensDetails() {
        OperationsAccess access = new OperationsAccess("127.0.0.1/32", " ");
        assertThat(access.allowsDetails("203.0.113.9", "Bearer ")).isFalse();
        assertThat(access.allowsDetails("203.0.113.9", "Bearer")).isFalse();
    }

    @Test
    void refusesAShortTokenAndABadRange() {
        assertThatThrownBy(() -> new OperationsAccess("127.0.0.1/32", "short"))
                .hasMessageContaining("cartrecovery.operations.token");
        assertThatThrownBy(() -> new OperationsAccess("127.0.0.1/33x", ""))
                .hasMessageContaining("cartrecovery.operations.allowed-addresses");
    }
}
