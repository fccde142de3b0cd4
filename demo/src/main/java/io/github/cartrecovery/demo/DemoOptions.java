package io.github.cartrecovery.demo;

import java.io.File;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code demo/run} was asked for: port, data folder, reset, simulation. */
public final class DemoOptions {

    public static final String USAGE = String.join("\n",
            "usage: demo/run [--reset] [--simulate N] [--port PORT] [--data-dir DIR]",
            "       demo/run --node NAME --jdbc-url URL [--jdbc-user U] [--jdbc-password P] --smtp HOST:PORT [--set KEY=VALUE]...",
            "  --reset        delete the demo database first (catalog and campaign are seeded again)",
            "  --simulate N   after start, N shoppers browse, abandon, come back from their emails and buy",
            "  --port PORT    HTTP port (default: $DEMO_PORT, else 8080)",
            "  --data-dir DIR where the database lives (default: $DEMO_DATA_DIR, else demo/target/demo-data with demo/run,",
            "                 ~/.cartrecovery-demo without)",
            "  --node NAME    a cluster node: the storefront only (no admin, no mailbox, no seed) with the plugin's jobs,",
            "                 on the database --jdbc-url (PostgreSQL, MariaDB) and the SMTP server --smtp; NAME is its",
            "                 node id; --set adds a runtime property (e.g. cartrecovery.clock.offset-seconds=120)");

    final int port;
    final File dataDir;
    final boolean reset;
    final int simulatedShoppers;
    final int smtpPort;
    final boolean help;
    /** Extra runtime properties (tests shorten timings this way). */
    final Map<String, String> properties;
    /** Set for a cluster node (--node): its name, database and SMTP server; null for the demo. */
    final Node node;

    /** A cluster node's own settings: external database and SMTP server, no embedded ones. */
    static final class Node {
        final String name;
        final String jdbcUrl;
        final String jdbcUser;
        final String jdbcPassword;
        final String smtpHost;
        final int smtpPort;

        Node(String name, String jdbcUrl, String jdbcUser, String jdbcPassword, String smtpHost, int smtpPort) {
            this.name = name;
            this.jdbcUrl = jdbcUrl;
            this.jdbcUser = jdbcUser;
            this.jdbcPassword = jdbcPassword;
            this.smtpHost = smtpHost;
            this.smtpPort = smtpPort;
        }
    }

    DemoOptions(int port, File dataDir, boolean reset, int simulatedShoppers, int smtpPort, boolean help,
                Map<String, String> properties) {
        this(port, dataDir, reset, simulatedShoppers, smtpPort, help, properties, null);
    }

    DemoOptions(int port, File dataDir, boolean reset, int simulatedShoppers, int smtpPort, boolean help,
                Map<String, String> properties, Node node) {
        this.node = node;
        this.port = port;
        this.dataDir = dataDir;
        this.reset = reset;
        this.simulatedShoppers = simulatedShoppers;
        this.smtpPort = smtpPort;
        this.help = help;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<String, String>(properties));
    }

    /** Options for tests and tools: this port and data folder, nothing else. */
    public static DemoOptions of(int port, File dataDir, boolean reset, Map<String, String> properties) {
        return new DemoOptions(port, dataDir, reset, 0, 0, false, properties);
    }

    static DemoOptions parse(String[] args, Map<String, String> env) {
        int port = number("DEMO_PORT", env.containsKey("DEMO_PORT") ? env.get("DEMO_PORT") : "8080");
        String dir = env.containsKey("DEMO_DATA_DIR") ? env.get("DEMO_DATA_DIR")
                : System.getProperty("demo.data.dir", System.getProperty("user.home") + File.separator + ".cartrecovery-demo");
        int smtpPort = env.containsKey("DEMO_SMTP_PORT") ? number("DEMO_SMTP_PORT", env.get("DEMO_SMTP_PORT")) : 0;
        boolean reset = false;
        boolean help = false;
        int shoppers = 0;
        String nodeName = null;
        String jdbcUrl = null;
        String jdbcUser = "";
        String jdbcPassword = "";
        String smtp = null;
        Map<String, String> properties = new LinkedHashMap<String, String>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ("--reset".equals(arg)) {
                reset = true;
            } else if ("--simulate".equals(arg)) {
                shoppers = number("--simulate", value(args, ++i, arg));
                if (shoppers < 1 || shoppers > 1000) {
                    throw new IllegalArgumentException("--simulate takes a number of shoppers from 1 to 1000, not " + shoppers);
                }
            } else if ("--port".equals(arg)) {
                port = number("--port", value(args, ++i, arg));
            } else if ("--data-dir".equals(arg)) {
                dir = value(args, ++i, arg);
            } else if ("--node".equals(arg)) {
                nodeName = value(args, ++i, arg);
            } else if ("--jdbc-url".equals(arg)) {
                jdbcUrl = value(args, ++i, arg);
            } else if ("--jdbc-user".equals(arg)) {
                jdbcUser = value(args, ++i, arg);
            } else if ("--jdbc-password".equals(arg)) {
                jdbcPassword = value(args, ++i, arg);
            } else if ("--smtp".equals(arg)) {
                smtp = value(args, ++i, arg);
            } else if ("--set".equals(arg)) {
                String setting = value(args, ++i, arg);
                int equals = setting.indexOf('=');
                if (equals < 1) {
                    throw new IllegalArgumentException("--set takes KEY=VALUE, not '" + setting + "'");
                }
                properties.put(setting.substring(0, equals).trim(), setting.substring(equals + 1));
            } else if ("--help".equals(arg) || "-h".equals(arg)) {
                help = true;
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        Node node = null;
        if (nodeName != null) {
            if (jdbcUrl == null || smtp == null) {
                throw new IllegalArgumentException("--node needs --jdbc-url and --smtp HOST:PORT");
            }
            int colon = smtp.lastIndexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("--smtp takes HOST:PORT, not '" + smtp + "'");
            }
            node = new Node(nodeName, jdbcUrl, jdbcUser, jdbcPassword, smtp.substring(0, colon),
                    number("--smtp port", smtp.substring(colon + 1)));
        } else if (jdbcUrl != null || smtp != null) {
            throw new IllegalArgumentException("--jdbc-url and --smtp are for a cluster node (--node NAME)");
        }
        if (port < 0 || port > 65535 || (port == 0 && node == null)) {
            throw new IllegalArgumentException("the port must be from 1 to 65535, not " + port);
        }
        return new DemoOptions(port, new File(dir).getAbsoluteFile(), reset, shoppers, smtpPort, help, properties, node);
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }

    private static int number(String name, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + text + "'");
        }
    }
}
