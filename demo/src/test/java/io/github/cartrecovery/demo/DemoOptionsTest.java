package io.github.cartrecovery.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void defaultsToPort8080AndKeepsData() {
        DemoOptions options = DemoOptions.parse(new String[0], Map.of("DEMO_DATA_DIR", "/tmp/x"));
        assertThat(options.port).isEqualTo(8080);
        assertThat(options.reset).isFalse();
        assertThat(options.simulatedShoppers).isZero();
        assertThat(options.dataDir.getPath()).isEqualTo("/tmp/x");
    }

    @Test
    void takesThePortFromDemoPortAndFlagsFromArguments() {
        DemoOptions options = DemoOptions.parse(new String[] {"--reset", "--simulate", "25"}, Map.of("DEMO_PORT", "9091"));
        assertThat(options.port).isEqualTo(9091);
        assertThat(options.reset).isTrue();
        assertThat(options.simulatedShoppers).isEqualTo(25);
    }

    @Test
    void rejectsWhatItCannotUseWithTheReason() {
        assertThatThrownBy(() -> DemoOptions.parse(new String[0], Map.of("DEMO_PORT", "eighty")))
                .hasMessage("DEMO_PORT must be a number, not 'eighty'");
        assertThatThrownBy(() -> DemoOptions.parse(new String[0], Map.of("DEMO_PORT", "70000")))
                .hasMessage("the port must be from 1 to 65535, not 70000");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--simulate"}, Map.of()))
                .hasMessage("--simulate needs a value");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--simulate", "0"}, Map.of()))
                .hasMessageContaining("from 1 to 1000");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--fast"}, Map.of()))
                .hasMessage("unknown argument '--fast'");
    }
}
