package io.github.cartrecovery.demo;

import java.io.File;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code demo/run} was asked for: port, data folder, reset, simulation. */
public final class DemoOptions {

    public static final String USAGE = String.join("\n",
            "usage: demo/run [--reset] [--simulate N] [--port PORT] [--data-dir DIR]",
            "  --reset        delete the demo database first (catalog and campaign are seeded again)",
            "  --simulate N   after start, N shoppers browse, abandon, come back from their emails and buy",
            "  --port PORT    HTTP port (default: $DEMO_PORT, else 8080)",
            "  --data-dir DIR where the database lives (default: $DEMO_DATA_DIR, else demo/target/demo-data with demo/run,",
            "                 ~/.cartrecovery-demo without)");

    final int port;
    final File dataDir;
    final boolean reset;
    final int simulatedShoppers;
    final int smtpPort;
    final boolean help;
    /** Extra runtime properties (tests shorten timings this way). */
    final Map<String, String> properties;

    DemoOptions(int port, File dataDir, boolean reset, int simulatedShoppers, int smtpPort, boolean help,
                Map<String, String> properties) {
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
            } else if ("--help".equals(arg) || "-h".equals(arg)) {
                help = true;
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port must be from 1 to 65535, not " + port);
        }
        return new DemoOptions(port, new File(dir).getAbsoluteFile(), reset, shoppers, smtpPort, help,
                Collections.<String, String>emptyMap());
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
