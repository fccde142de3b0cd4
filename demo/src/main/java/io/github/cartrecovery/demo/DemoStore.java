package io.github.cartrecovery.demo;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.broadleafcommerce.common.util.ApplicationContextHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.session.DefaultSessionIdManager;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.webapp.Configuration;
import org.eclipse.jetty.webapp.WebAppContext;
import org.eclipse.jetty.webapp.WebXmlConfiguration;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.support.WebApplicationContextUtils;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.github.cartrecovery.demo.mailbox.MailboxServlet;
import io.github.cartrecovery.demo.sms.SmsProviderStandIn;
import io.github.cartrecovery.demo.seed.DemoSeed;
import io.github.cartrecovery.demo.simulation.Simulation;
import io.github.cartrecovery.demo.webhooks.WebhookReceiverServlet;
import io.github.cartrecovery.webhook.WebhookSigner;

/**
 * The demo: a Broadleaf 3.1 storefront at {@code /} and the Broadleaf admin at {@code /admin}, both with the
 * plugin installed as a real store installs it (their web.xml under {@code webapps/}), in one embedded Jetty 9.4
 * on one file-based HSQLDB, plus an SMTP server (GreenMail) that keeps every email and a mailbox page at
 * {@code /mailbox}, a webhook receiver at {@code /webhooks} that the store's webhook channel posts to, and a stand-in
 * SMS provider with an outbox page at {@code /sms-outbox} ({@link SmsProviderStandIn}). Prints the URLs and then
 * {@code READY <store url>} once every page answers.
 */
public final class DemoStore implements AutoCloseable {

    public static final String ADMIN_LOGIN = "admin";
    public static final String ADMIN_PASSWORD = "admin";

    private static final Map<WebAppContext, Throwable> FAILURES = new java.util.concurrent.ConcurrentHashMap<WebAppContext, Throwable>();
    private static final java.util.logging.Logger LIQUIBASE_LOG = java.util.logging.Logger.getLogger("liquibase");

    private final Server server;
    private final GreenMail smtp;
    private final String dbUrl;
    private final String baseUrl;
    private final WebAppContext store;
    private final WebAppContext admin;
    private SmsProviderStandIn sms;

    private DemoStore(Server server, GreenMail smtp, String dbUrl, String baseUrl, WebAppContext store, WebAppContext admin) {
        this.server = server;
        this.smtp = smtp;
        this.dbUrl = dbUrl;
        this.baseUrl = baseUrl;
        this.store = store;
        this.admin = admin;
    }

    public static void main(String[] args) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(DemoOptions.USAGE);
            return;
        }
        DemoStore demo;
        try {
            demo = start(options, System.out);
        } catch (DemoStartupException e) {
            System.err.println();
            System.err.println("demo: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-shutdown"));
        if (options.simulatedShoppers > 0) {
            Thread simulation = new Thread(() -> new Simulation(demo.baseUrl(), options.simulatedShoppers, System.out).run(),
                    "demo-simulation");
            simulation.setDaemon(true);
            simulation.start();
        }
        System.out.println("Press Ctrl+C to stop.");
        demo.join();
    }

    /** Starts everything and returns once the store, the admin and the mailbox answer. */
    public static DemoStore start(DemoOptions options, PrintStream out) {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        quietLogs();
        File dataDir = options.dataDir;
        if (options.reset) {
            deleteRecursively(dataDir.toPath());
            out.println("Reset: deleted " + dataDir);
        }
        DemoOptions.Node node = options.node;
        boolean firstStart = node == null
                && !new File(dataDir, "db/demo.script").exists() && !new File(dataDir, "db/demo.properties").exists();
        if (!dataDir.isDirectory() && !dataDir.mkdirs()) {
            throw new DemoStartupException("cannot create the data folder " + dataDir);
        }

        Server server = new Server(new QueuedThreadPool(100, 4));
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(options.port);
        server.addConnector(connector);
        try {
            connector.open();
        } catch (IOException e) {
            // Jetty reports a taken port as an IOException caused by a BindException.
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new DemoStartupException("port " + options.port + " is already in use. Stop what uses it, or pick another port: "
                        + "DEMO_PORT=8090 demo/run");
            }
            throw new DemoStartupException("cannot listen on port " + options.port + ": " + e.getMessage(), e);
        }
        int port = connector.getLocalPort();
        String baseUrl = "http://localhost:" + port;

        GreenMail smtp = null;
        String smtpHost = "127.0.0.1";
        int smtpPort;
        if (node == null) {
            smtp = new GreenMail(new ServerSetup(options.smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            try {
                smtp.start();
            } catch (RuntimeException e) {
                closeQuietly(connector);
                throw new DemoStartupException("cannot start the demo's SMTP server"
                        + (options.smtpPort == 0 ? "" : " on port " + options.smtpPort + " (DEMO_SMTP_PORT)") + ": " + e.getMessage(), e);
            }
            smtpPort = smtp.getSmtp().getPort();
        } else {
            smtpHost = node.smtpHost;
            smtpPort = node.smtpPort;
        }

        String dbUrl = node != null ? node.jdbcUrl : "jdbc:hsqldb:file:" + new File(dataDir, "db/demo").getAbsolutePath()
                + ";hsqldb.tx=mvcc;hsqldb.write_delay_millis=200;hsqldb.lob_compressed=true";
        Properties runtime = new Properties();
        runtime.setProperty("demo.db.url", dbUrl);
        if (node != null) {
            clusterNode(node, runtime);
        }
        runtime.setProperty("cartrecovery.delivery.smtp.host", smtpHost);
        runtime.setProperty("cartrecovery.delivery.smtp.port", String.valueOf(smtpPort));
        runtime.setProperty("cartrecovery.delivery.smtp.security", "NONE");
        runtime.setProperty("cartrecovery.links.base-url", baseUrl);
        if (!options.properties.containsKey("cartrecovery.links.signing-keys")) {
            runtime.setProperty("cartrecovery.links.signing-keys", signingKey(dataDir));
        }
        WebhookSigner webhookSigner = null;
        if (node == null) {
            // the store's webhooks go to the demo's own receiver (plain http on localhost), signed with a secret
            // made for this start: the receiver runs in this JVM and knows it
            String webhookSecret = options.properties.containsKey("cartrecovery.webhook.secret")
                    ? options.properties.get("cartrecovery.webhook.secret") : webhookSecret();
            try {
                webhookSigner = new WebhookSigner(webhookSecret);
            } catch (IllegalStateException e) {
                closeQuietly(connector);
                smtp.stop();
                throw new DemoStartupException(e.getMessage(), e);
            }
            runtime.setProperty("cartrecovery.webhook.url", baseUrl + "/webhooks/receive");
            runtime.setProperty("cartrecovery.webhook.secret", webhookSecret);
        }
        SmsProviderStandIn sms = null;
        if (node == null) {
            // texts go to the demo's own stand-in provider (/sms-provider), never to a real phone; its reply form reads
            // numbers typed without country code in the demo's cartrecovery.sms.default-region (US, common.properties)
            sms = SmsProviderStandIn.forStore(baseUrl, options.properties.containsKey("cartrecovery.sms.default-region")
                    ? options.properties.get("cartrecovery.sms.default-region") : "US");
            runtime.setProperty("cartrecovery.sms.provider.base-url", baseUrl + "/sms-provider");
            runtime.setProperty("cartrecovery.sms.provider.account-sid", sms.accountSid());
            runtime.setProperty("cartrecovery.sms.provider.auth-token", sms.authToken());
        } else {
            runtime.setProperty("cartrecovery.sms.enabled", "false");
        }
        runtime.setProperty("site.baseurl", baseUrl);
        runtime.setProperty("admin.baseurl", baseUrl + "/admin");
        if (!firstStart && node == null) {
            // Broadleaf's schema is complete after the first start: skip Hibernate's slow schema comparison.
            for (String unit : new String[] {"blPU", "blSecurePU", "blCMSStorage"}) {
                runtime.setProperty(unit + ".hibernate.hbm2ddl.auto", "none");
            }
        }
        for (Map.Entry<String, String> extra : options.properties.entrySet()) {
            runtime.setProperty(extra.getKey(), extra.getValue());
        }
        File overrides = new File(dataDir, "runtime.properties");
        try (OutputStream file = new FileOutputStream(overrides)) {
            runtime.store(file, "written by the demo launcher at every start");
        } catch (IOException e) {
            throw new DemoStartupException("cannot write " + overrides + ": " + e.getMessage(), e);
        }
        System.setProperty("property-override", overrides.getAbsolutePath());

        WebAppContext store = webapp("/", "webapps/store");
        WebAppContext admin = webapp("/admin", "webapps/admin");
        // Both apps share the host name: separate cookies keep a shopper's cart and an admin login apart.
        admin.getSessionHandler().getSessionCookieConfig().setName("DEMO_ADMIN_SESSION");
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        if (node == null) {
            ServletContextHandler mailbox = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
            mailbox.setContextPath("/mailbox");
            mailbox.addServlet(new ServletHolder(new MailboxServlet(smtp)), "/*");
            ServletContextHandler webhooks = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
            webhooks.setContextPath("/webhooks");
            webhooks.addServlet(new ServletHolder(new WebhookReceiverServlet(webhookSigner, java.time.Clock.systemUTC())),
                    "/*");
            ServletContextHandler smsProvider = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
            smsProvider.setContextPath("/sms-provider");
            smsProvider.addServlet(new ServletHolder(sms.api()), "/*");
            ServletContextHandler smsOutbox = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
            smsOutbox.setContextPath("/sms-outbox");
            smsOutbox.addServlet(new ServletHolder(sms.outbox()), "/*");
            contexts.setHandlers(new Handler[] {admin, mailbox, webhooks, smsProvider, smsOutbox, store});
        } else {
            contexts.setHandlers(new Handler[] {store});
        }
        server.setHandler(contexts);
        server.setErrorHandler(new PlainErrorPages());
        server.setStopAtShutdown(false);

        out.println((node != null ? "Starting cluster node " + node.name + " on port " + port + " (database " + dbUrl
                + ", SMTP " + smtpHost + ":" + smtpPort + ")" : "Starting the Cart Recovery demo store on port " + port
                + (firstStart ? " (first start: creating the database in " + dataDir + ")" : " (database: " + dataDir + ")")));
        DemoStore demo = new DemoStore(server, smtp, dbUrl, baseUrl, store, admin);
        String health;
        demo.sms = sms;
        try {
            server.setSessionIdManager(new DefaultSessionIdManager(server));
            long started = System.nanoTime();
            // One after the other: Broadleaf 3.1 merges its XML with one shared parser, so two contexts cannot
            // boot side by side. The storefront first: it creates the schema and applies the plugin's changelog.
            startWebapp(store, "storefront", started, out);
            if (node == null) {
                startWebapp(admin, "admin", started, out);
            }
            server.start();
            demo.requireAvailable(store, "storefront");
            if (node != null) {
                new ApplicationContextHolder().setApplicationContext(demo.storeContext());
                out.println(String.format(Locale.ROOT, "  node %s started in %.1f s since the JVM started.", node.name,
                        (System.currentTimeMillis() - jvmStart) / 1000.0));
                out.println("READY " + baseUrl + "/");
                return demo;
            }
            demo.requireAvailable(admin, "admin");
            // Broadleaf publishes order events through a static holder, set by whichever context started last:
            // the storefront's context must receive its own carts' events.
            new ApplicationContextHolder().setApplicationContext(demo.storeContext());
            DemoSeed.seed(demo.storeContext(), demo.adminContext(), out);
            if (options.simulatedShoppers > 0) {
                DemoSeed.seedExperiment(demo.storeContext(), out);
            }
            demo.requireAnswer(baseUrl + "/", "the store");
            demo.requireAnswer(baseUrl + "/admin/login", "the admin");
            demo.requireAnswer(baseUrl + "/mailbox/", "the mailbox");
            demo.requireAnswer(baseUrl + "/webhooks/", "the webhook receiver");
            demo.requireAnswer(baseUrl + "/sms-outbox/", "the SMS outbox");
            health = demo.healthStatus(baseUrl + "/cart-recovery/health");
        } catch (DemoStartupException e) {
            demo.close();
            throw e;
        } catch (Exception e) {
            demo.close();
            throw new DemoStartupException("the demo failed to start: " + e, e);
        }
        double seconds = (System.currentTimeMillis() - jvmStart) / 1000.0;
        out.println();
        out.println("  Store:   " + baseUrl + "/");
        out.println("  Admin:   " + baseUrl + "/admin/   (login: " + ADMIN_LOGIN + " / " + ADMIN_PASSWORD + ")");
        out.println("  Mailbox: " + baseUrl + "/mailbox/   (every email the store sends; SMTP on 127.0.0.1:" + smtpPort + ")");
        out.println("  Webhooks: " + baseUrl + "/webhooks/   (every webhook the store posts, its signature checked)");
        out.println("  SMS:     " + baseUrl + "/sms-outbox/   (every text the store sends; reply STOP from there)");
        out.println("  Health:  " + baseUrl + "/cart-recovery/health   (" + health + " now; the checks' details from this machine)");
        out.println(String.format(Locale.ROOT, "  Started in %.1f s since the JVM started.", seconds));
        out.println("READY " + baseUrl + "/");
        return demo;
    }

    /** The plugin's health endpoint answers with its JSON (200 UP or 503 DOWN: a demo restarted later may have late messages). */
    private String healthStatus(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(60_000);
            int status = connection.getResponseCode();
            java.io.InputStream body = status == 200 ? connection.getInputStream() : connection.getErrorStream();
            java.util.Scanner scanner = new java.util.Scanner(body, "UTF-8").useDelimiter("\\A");
            String json = scanner.hasNext() ? scanner.next() : "";
            connection.disconnect();
            if ((status != 200 && status != 503) || !json.startsWith("{\"status\":")) {
                throw new DemoStartupException("the health check answered " + status + " at " + url + ": " + json);
            }
            return status == 200 ? "UP" : "DOWN";
        } catch (IOException e) {
            throw new DemoStartupException("the health check does not answer at " + url + ": " + e, e);
        }
    }

    /**
     * A cluster node's settings: its external database (dialect from the JDBC URL), its name as the node id of the
     * scheduler and of delivery claims. Jobs stay on (the demo's accelerated intervals); --set overrides any of it.
     */
    private static void clusterNode(DemoOptions.Node node, Properties runtime) {
        String url = node.jdbcUrl;
        String dialect;
        String driver;
        if (url.startsWith("jdbc:postgresql:")) {
            dialect = "org.hibernate.dialect.PostgreSQL82Dialect";
            driver = "org.postgresql.Driver";
        } else if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            dialect = "org.hibernate.dialect.MySQL5InnoDBDialect";
            driver = "org.mariadb.jdbc.Driver";
        } else if (url.startsWith("jdbc:hsqldb:")) {
            dialect = "org.hibernate.dialect.HSQLDialect";
            driver = "org.hsqldb.jdbc.JDBCDriver";
        } else {
            throw new DemoStartupException("--jdbc-url must be a PostgreSQL, MariaDB or HSQLDB URL, not " + url);
        }
        runtime.setProperty("demo.db.driver", driver);
        runtime.setProperty("demo.db.user", node.jdbcUser);
        runtime.setProperty("demo.db.password", node.jdbcPassword);
        for (String unit : new String[] {"blPU", "blSecurePU", "blCMSStorage"}) {
            runtime.setProperty(unit + ".hibernate.dialect", dialect);
        }
        runtime.setProperty("cartrecovery.scheduler.node-id", node.name);
        runtime.setProperty("cartrecovery.delivery.node-id", node.name);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public GreenMail smtp() {
        return smtp;
    }

    /** The stand-in SMS provider (null on a cluster node). */
    public SmsProviderStandIn sms() {
        return sms;
    }

    public WebApplicationContext storeContext() {
        return WebApplicationContextUtils.getRequiredWebApplicationContext(store.getServletContext());
    }

    public WebApplicationContext adminContext() {
        return WebApplicationContextUtils.getRequiredWebApplicationContext(admin.getServletContext());
    }

    public void join() {
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (!server.isStopped()) {
                server.stop();
            }
        } catch (Exception e) {
            System.err.println("demo: stopping Jetty: " + e);
        }
        if (sms != null) {
            sms.close();
        }
        if (smtp == null) {
            return; // a cluster node: its database and SMTP server are not its own
        }
        try {
            smtp.stop();
        } catch (RuntimeException e) {
            System.err.println("demo: stopping the SMTP server: " + e);
        }
        // Writes the database files out whole, so the next start reads them without replaying a log.
        try (Connection connection = DriverManager.getConnection(dbUrl, "SA", "");
             Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (Exception e) {
            // already shut down
        }
    }

    /**
     * The plugin requires a link signing key. The demo keeps one per data folder, generated on the first start
     * (like a store keeps its key in a server-side properties file, out of version control), so links in old
     * emails keep working across restarts and {@code --reset} makes a new key.
     */
    public static String signingKey(File dataDir) {
        File file = new File(dataDir, "signing-key.properties");
        Properties key = new Properties();
        if (file.isFile()) {
            try (java.io.InputStream in = new java.io.FileInputStream(file)) {
                key.load(in);
            } catch (IOException e) {
                throw new DemoStartupException("cannot read " + file + ": " + e.getMessage(), e);
            }
            String existing = key.getProperty("cartrecovery.links.signing-keys", "").trim();
            if (!existing.isEmpty()) {
                return existing;
            }
        }
        byte[] secret = new byte[36];
        new java.security.SecureRandom().nextBytes(secret);
        String generated = "demo:" + java.util.Base64.getEncoder().encodeToString(secret);
        key.setProperty("cartrecovery.links.signing-keys", generated);
        try (OutputStream out = new FileOutputStream(file)) {
            key.store(out, "the demo store's link signing key, generated for this data folder (never reuse it for a real store)");
        } catch (IOException e) {
            throw new DemoStartupException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return generated;
    }

    /** A random webhook secret for one start of the demo (64 hex characters). */
    static String webhookSecret() {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        StringBuilder hex = new StringBuilder();
        for (byte b : secret) {
            hex.append(String.format(Locale.ROOT, "%02x", b & 0xFF));
        }
        return hex.toString();
    }

    private static WebAppContext webapp(String contextPath, String classpathFolder) {
        URL folder = DemoStore.class.getClassLoader().getResource(classpathFolder);
        if (folder == null) {
            throw new DemoStartupException(classpathFolder + " is missing from the classpath (run demo/run, which builds it)");
        }
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath(contextPath);
        webapp.setBaseResource(Resource.newResource(folder));
        // One class loader for both apps (the classpath Maven built): classes load once, and the demo's seed and
        // tests reach the apps' Spring contexts directly.
        webapp.setClassLoader(DemoStore.class.getClassLoader());
        webapp.setConfigurations(new Configuration[] {new WebXmlConfiguration()});
        webapp.setThrowUnavailableOnStartupException(true);
        webapp.setInitParameter("org.eclipse.jetty.servlet.Default.dirAllowed", "false");
        webapp.setErrorHandler(new PlainErrorPages());
        return webapp;
    }

    /** Starts one webapp (a failure is kept by the webapp and reported by {@link #requireAvailable}). */
    private static void startWebapp(WebAppContext webapp, String what, long since, PrintStream out) {
        try {
            webapp.start();
            out.println(String.format(Locale.ROOT, "  %s started (%.1f s)", what, (System.nanoTime() - since) / 1e9));
        } catch (Exception e) {
            if (webapp.getUnavailableException() == null) {
                webapp.setAvailable(false);
            }
            out.println("  " + what + " failed to start: " + e);
            FAILURES.put(webapp, e);
        }
    }

    private void requireAvailable(WebAppContext webapp, String what) {
        Throwable failed = FAILURES.remove(webapp);
        if (failed != null) {
            throw new DemoStartupException("the " + what + " did not start: " + failed, failed);
        }
        Throwable failure = webapp.getUnavailableException();
        if (failure != null || !webapp.isAvailable()) {
            throw new DemoStartupException("the " + what + " did not start: " + failure, failure);
        }
    }

    private void requireAnswer(String url, String what) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(60_000);
            int status = connection.getResponseCode();
            if (status != 200) {
                String body = "";
                if (connection.getErrorStream() != null) {
                    java.util.Scanner scanner = new java.util.Scanner(connection.getErrorStream(), "UTF-8").useDelimiter("\\A");
                    body = scanner.hasNext() ? scanner.next() : "";
                }
                connection.disconnect();
                throw new DemoStartupException(what + " answered " + status + " at " + url
                        + (body.isEmpty() ? "" : ":\n" + body.substring(0, Math.min(body.length(), 3000))));
            }
            connection.disconnect();
        } catch (IOException e) {
            throw new DemoStartupException(what + " does not answer at " + url + ": " + e, e);
        }
    }

    private static void quietLogs() {
        // Liquibase reports every changeset through java.util.logging; the demo prints its own progress.
        LIQUIBASE_LOG.setLevel(java.util.logging.Level.WARNING);
        // Both apps check the plugin's changelog at start; the second waits for the first's lock.
        if (System.getProperty("liquibase.changelogLockPollRate") == null) {
            System.setProperty("liquibase.changelogLockPollRate", "1");
        }
        // Broadleaf's SUPPORT messages (every property file it reads) go through SLF4J to log4j, where they are quiet.
        if (System.getProperty("SupportLogger.adapter.fqcn") == null) {
            System.setProperty("SupportLogger.adapter.fqcn", "org.broadleafcommerce.common.logging.SLF4JSupportLoggerAdapter");
        }
        if (System.getProperty("runtime.environment") == null) {
            System.setProperty("runtime.environment", "development");
        }
        if (System.getProperty("org.eclipse.jetty.LEVEL") == null) {
            System.setProperty("org.eclipse.jetty.LEVEL", "WARN");
        }
    }

    private static void closeQuietly(ServerConnector connector) {
        try {
            connector.close();
        } catch (RuntimeException e) {
            // nothing to do
        }
    }

    static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new DemoStartupException("cannot delete " + folder + ": " + e.getMessage(), e);
        }
        if (Files.exists(folder)) {
            throw new DemoStartupException("cannot delete " + folder + " (is another demo running on it?)");
        }
    }
}
