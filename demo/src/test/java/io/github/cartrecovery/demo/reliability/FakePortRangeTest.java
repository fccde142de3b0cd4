package io.github.cartrecovery.demo.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The reliability suite's fakes get ports from {@code reliability.fake-ports}, so two suites at once never share one. */
class FakePortRangeTest {

    @Test
    void aGivenRangeIsKeptBelowTheEphemeralRange() {
        assertThat(Cluster.fakePortRange("10000-20999", 32768)).containsExactly(10000, 20999);
        assertThat(Cluster.fakePortRange("21000-40000", 32768)).containsExactly(21000, 32767);
        assertThat(Cluster.fakePortRange(null, 32768)).containsExactly(10000, 32767);
    }

    @Test
    void theEphemeralRangeIsReadWhole() throws Exception {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.isReadable(range), "Linux only");
        int expected = Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
        assertThat(expected).isGreaterThan(1024);
        assertThat(Cluster.ephemeralLow()).isEqualTo(expected);
    }

    @Test
    void aRangeWithNoPortOutsideTheEphemeralRangeIsRefused() {
        assertThatThrownBy(() -> Cluster.fakePortRange("40000-50000", 32768)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ephemeral range");
        assertThatThrownBy(() -> Cluster.fakePortRange("20000", 32768)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LOW-HIGH");
    }

    @Test
    void portsComeFromTheRangeAndAreFree() throws Exception {
        List<ServerSocket> taken = new ArrayList<>();
        try {
            int low = threeTakenThenOneFree(taken);
            for (int i = 0; i < 20; i++) {
                assertThat(Cluster.portOutsideEphemeralRange(low, low + 3)).isEqualTo(low + 3);
            }
        } finally {
            for (ServerSocket socket : taken) {
                socket.close();
            }
        }
    }

    /** Binds three consecutive ports (kept open in {@code taken}) whose next one is free; returns the first. */
    private static int threeTakenThenOneFree(List<ServerSocket> taken) throws java.io.IOException {
        for (int low = 20_000; low < 30_000; low += 4) {
            try {
                for (int port = low; port < low + 3; port++) {
                    taken.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
                }
                new ServerSocket(low + 3, 1, InetAddress.getLoopbackAddress()).close();
                return low;
            } catch (java.io.IOException busy) {
                for (ServerSocket socket : taken) {
                    socket.close();
                }
                taken.clear();
            }
        }
        throw new IllegalStateException("no four free consecutive ports from 20000 to 30000");
    }
}
