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

    @Test
    void aClusterNodeTakesItsDatabaseSmtpServerAndSettings() {
        DemoOptions options = DemoOptions.parse(new String[] {"--node", "n2", "--port", "0", "--jdbc-url",
                "jdbc:postgresql://127.0.0.1:5432/shop", "--jdbc-user", "postgres", "--smtp", "127.0.0.1:2525",
                "--set", "cartrecovery.clock.offset-seconds=120", "--set", "a=b=c"}, Map.of());
        assertThat(options.node.name).isEqualTo("n2");
        assertThat(options.node.jdbcUrl).isEqualTo("jdbc:postgresql://127.0.0.1:5432/shop");
        assertThat(options.node.jdbcUser).isEqualTo("postgres");
        assertThat(options.node.smtpHost).isEqualTo("127.0.0.1");
        assertThat(options.node.smtpPort).isEqualTo(2525);
        assertThat(options.port).isZero();
        assertThat(options.properties).containsEntry("cartrecovery.clock.offset-seconds", "120").containsEntry("a", "b=c");
    }

    @Test
    void theDemoHasNoNodeAndANodeNeedsItsServers() {
        assertThat(DemoOptions.parse(new String[0], Map.of()).node).isNull();
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--node", "n1", "--smtp", "127.0.0.1:25"}, Map.of()))
                .hasMessage("--node needs --jdbc-url and --smtp HOST:PORT");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--jdbc-url", "jdbc:postgresql://x/y"}, Map.of()))
                .hasMessage("--jdbc-url and --smtp are for a cluster node (--node NAME)");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--node", "n1", "--jdbc-url", "jdbc:postgresql://x/y",
                "--smtp", "nohost"}, Map.of())).hasMessage("--smtp takes HOST:PORT, not 'nohost'");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--set", "novalue"}, Map.of()))
                .hasMessage("--set takes KEY=VALUE, not 'novalue'");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--port", "0"}, Map.of()))
                .hasMessage("the port must be from 1 to 65535, not 0");
    }
}
