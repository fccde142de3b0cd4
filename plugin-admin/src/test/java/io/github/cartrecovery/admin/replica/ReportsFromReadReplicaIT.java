package io.github.cartrecovery.admin.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

import javax.sql.DataSource;

import org.broadleafcommerce.common.web.BroadleafRequestContext;
import org.broadleafcommerce.openadmin.server.security.domain.AdminPermission;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUser;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUserImpl;
import org.broadleafcommerce.openadmin.server.security.remote.SecurityVerifier;
import org.broadleafcommerce.openadmin.server.security.service.AdminSecurityService;
import org.broadleafcommerce.openadmin.server.security.service.navigation.AdminNavigationService;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractControllerExtensionManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletContext;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.ui.ExtendedModelMap;
import org.springframework.ui.Model;
import org.thymeleaf.spring3.SpringTemplateEngine;
import org.thymeleaf.spring3.context.SpringWebContext;
import org.thymeleaf.spring3.messageresolver.SpringMessageResolver;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import io.github.cartrecovery.admin.carts.AbandonedCartLog;
import io.github.cartrecovery.admin.personaldata.PersonalDataPermission;
import io.github.cartrecovery.admin.web.AbandonedCartsController;
import io.github.cartrecovery.admin.web.RecoveryReportController;
import io.github.cartrecovery.formatting.StoreTime;
import io.github.cartrecovery.reporting.ReadSource;
import io.github.cartrecovery.reporting.RecoveryReport;
import io.github.cartrecovery.reporting.RecoveryReports;
import io.github.cartrecovery.reporting.ReportCache;
import io.github.cartrecovery.reporting.ReplicaHeartbeat;
import io.github.cartrecovery.reporting.ReportRollup;
import io.github.cartrecovery.reporting.ReportingDatabase;
import io.github.cartrecovery.reporting.SchedulerHealth;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.StreamingReplica;
import io.github.cartrecovery.testing.TestClock;
import io.github.cartrecovery.testing.TestDatabase;

/**
 * Reports from a real PostgreSQL streaming replica (issue 20). The test starts its own primary and a hot standby
 * made from it with pg_basebackup ({@link StreamingReplica}), boots a store with the admin on the primary and
 * {@code cartrecovery.reporting.replica.url} on the standby, and follows one replica's life in order: read while
 * fresh, replay paused until its heartbeat is too old, caught up again, stopped. Each step looks at what the operator
 * sees: the report page (rendered), its CSV export and the abandoned-cart list.
 * <p>
 * Part of the {@code -Pdb-postgresql} suite. In CI ({@code CI=true}) a machine that cannot start the clusters fails
 * the test; elsewhere it is skipped with the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIfSystemProperty(named = "cartrecovery.test.db", matches = "postgresql")
@BroadleafWithPlugin(patches = {"bl-cartrecovery-applicationContext.xml", "bl-cartrecovery-admin-applicationContext.xml"})
class ReportsFromReadReplicaIT {

    private static final List<String> PATCHES =
            Arrays.asList("bl-cartrecovery-applicationContext.xml", "bl-cartrecovery-admin-applicationContext.xml");
    private static final int MAX_LAG_SECONDS = 300;
    private static final int CHECK_INTERVAL_SECONDS = 30;
    private static final String DAY = "2026-01-05"; // the store's test clock starts at 2026-01-05T10:00Z

    private StreamingReplica clusters;
    private JdbcTemplate onReplica;
    private PluginContext store;
    private TestClock clock;
    private JdbcTemplate primary;
    private ReportRollup rollup;
    private ReportingDatabase reportingDatabase;
    private AdminUser operator;

    @BeforeAll
    void aStoreOnAPrimaryWithAStreamingReplica(PluginContext broadleaf) throws Exception {
        try {
            clusters = StreamingReplica.start();
        } catch (Exception | Error e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI must run the read replica test, but the PostgreSQL clusters could not be set up", e);
            }
            Assumptions.abort("cannot set up a PostgreSQL primary and streaming replica here: " + e);
        }
        TestDatabase database = TestDatabase.createOnPostgreSql(clusters.primaryServerUrl(), "postgres", "", "replica");
        clusters.awaitReplayed(); // the new (empty) database exists on the replica too
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("cartrecovery.reporting.replica.url", clusters.replicaServerUrl() + database.name());
        settings.put("cartrecovery.reporting.replica.user", "postgres");
        settings.put("cartrecovery.reporting.replica.max-lag-seconds", String.valueOf(MAX_LAG_SECONDS));
        settings.put("cartrecovery.reporting.replica.check-interval-seconds", String.valueOf(CHECK_INTERVAL_SECONDS));
        store = broadleaf.bootAnotherStore(database, PATCHES, settings);
        onReplica = new JdbcTemplate(new org.springframework.jdbc.datasource.DriverManagerDataSource(
                clusters.replicaServerUrl() + database.name(), "postgres", ""));
        clock = store.clock();
        primary = new JdbcTemplate(store.bean("crDataSource", DataSource.class));
        rollup = store.bean("crReportRollup", ReportRollup.class);
        reportingDatabase = store.bean("crReportingDatabase", ReportingDatabase.class);
        AdminSecurityService security = store.bean("blAdminSecurityService", AdminSecurityService.class);
        operator = operator(security, security.readAdminPermissionById(-8613L)); // ALL on Cart Recovery (1.0/010)
        store.bean("crReportCache", ReportCache.class).evictAll(); // the region is shared with the other store in this JVM
    }

    @AfterAll
    void removeTheStoreAndTheClusters() {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            if (clusters != null) {
                clusters.close();
            }
        }
    }

    @BeforeEach
    void logIn() {
        BroadleafRequestContext request = new BroadleafRequestContext();
        request.setTimeZone(TimeZone.getTimeZone("UTC"));
        BroadleafRequestContext.setBroadleafRequestContext(request);
        User principal = new User(operator.getLogin(), "n/a", Collections.singletonList(new SimpleGrantedAuthority("PERMISSION_OTHER_DEFAULT")));
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(principal, "n/a", principal.getAuthorities()));
    }

    @AfterEach
    void logOut() {
        SecurityContextHolder.clearContext();
        BroadleafRequestContext.setBroadleafRequestContext(null);
    }

    @Test
    @Order(1)
    void theReportItsCsvAndTheCartListReadTheReplica() throws Exception {
        abandonedCart(1);
        rollup.run();
        clusters.awaitReplayed();

        Model page = reportPage();

        assertThat(readSource(page).isReplica()).isTrue();
        assertThat(abandonedCarts(page)).isEqualTo(1);
        assertThat(render("cartRecovery/report", page)).contains("Read from the read replica (its newest heartbeat is 0 s old).");
        assertThat(reportingDatabase.read(jdbc -> jdbc.queryForObject("SELECT pg_is_in_recovery()", Boolean.class)).getValue())
                .as("the connection reports read on is the standby's").isTrue();

        // The numbers are the replica's: with its replay paused, the primary moves on and the pages do not.
        clusters.pauseReplay();
        abandonedCart(2);
        rollup.run();
        assertThat(primary.queryForObject("SELECT SUM(ABANDONED_CARTS) FROM CR_REPORT_DAILY", Long.class)).isEqualTo(2);

        Model stale = reportPage();
        assertThat(readSource(stale).isReplica()).isTrue();
        assertThat(abandonedCarts(stale)).isEqualTo(1);
        Model carts = cartList();
        assertThat(readSource(carts).isReplica()).isTrue();
        assertThat(orderIds(carts)).containsExactly(orderId(1));
        assertThat(render("cartRecovery/carts", carts)).contains("Read from the read replica");
        MockHttpServletResponse csv = csv();
        assertThat(csv.getHeader(RecoveryReportController.READ_FROM_HEADER)).isEqualTo("replica (heartbeat 0 s old)");
    }

    @Test
    @Order(2)
    void aReplicaThatStoppedReplayingIsLeftForThePrimaryOnceItsHeartbeatIsTooOldAndThePagesSaySo() throws Exception {
        // replay is still paused; the rollup job goes on writing its heartbeat on the primary every minute
        for (int minute = 1; minute <= 6; minute++) {
            clock.advance(Duration.ofMinutes(1));
            rollup.run();
        }

        Model page = reportPage();

        ReadSource source = readSource(page);
        assertThat(source.isFallback()).isTrue();
        assertThat(source.getReason()).isEqualTo("the read replica is 360 s behind the primary (limit 300 s)");
        assertThat(abandonedCarts(page)).as("the primary's numbers, up to date").isEqualTo(2);
        assertThat(render("cartRecovery/report", page)).contains("Read from the primary database, not the read replica:"
                + " the read replica is 360 s behind the primary (limit 300 s).");
        Model carts = cartList();
        assertThat(orderIds(carts)).containsExactly(orderId(2), orderId(1));
        assertThat(render("cartRecovery/carts", carts)).contains("Read from the primary database, not the read replica");
        assertThat(csv().getHeader(RecoveryReportController.READ_FROM_HEADER))
                .isEqualTo("primary (fallback: the read replica is 360 s behind the primary (limit 300 s))");
    }

    @Test
    @Order(3)
    void onceTheReplicaHasCaughtUpReadsGoBackToIt() throws Exception {
        clusters.resumeReplay();
        clusters.awaitReplayed();
        awaitHeartbeatOnReplica();
        clock.advance(Duration.ofSeconds(CHECK_INTERVAL_SECONDS));

        Model page = reportPage();

        assertThat(readSource(page).isReplica()).isTrue();
        assertThat(readSource(page).getLagSeconds()).isEqualTo(CHECK_INTERVAL_SECONDS);
        assertThat(abandonedCarts(page)).isEqualTo(2);
        assertThat(orderIds(cartList())).containsExactly(orderId(2), orderId(1));
    }

    @Test
    @Order(4)
    void aStoppedReplicaIsLeftForThePrimaryAtOnceAndThePagesSaySo() throws Exception {
        clusters.stopReplica();
        abandonedCart(3);
        rollup.run(); // writes never went to the replica: the rollup does not notice it is gone

        long started = System.nanoTime();
        Model page = reportPage();
        long millis = (System.nanoTime() - started) / 1_000_000;

        ReadSource source = readSource(page);
        assertThat(source.isFallback()).isTrue();
        assertThat(source.getReason()).startsWith("the read replica became unreachable (");
        assertThat(abandonedCarts(page)).isEqualTo(3);
        assertThat(millis).as("one connect timeout (1 s), not a hung page").isLessThan(10_000);
        assertThat(render("cartRecovery/report", page))
                .contains("Read from the primary database, not the read replica: the read replica became unreachable (");

        clock.advance(Duration.ofSeconds(CHECK_INTERVAL_SECONDS)); // the next check finds it down
        Model carts = cartList();
        assertThat(readSource(carts).getReason()).startsWith("the read replica is unreachable (");
        assertThat(orderIds(carts)).containsExactly(orderId(3), orderId(2), orderId(1));
        assertThat(render("cartRecovery/carts", carts)).contains("Read from the primary database, not the read replica:"
                + " the read replica is unreachable (");
        AbandonedCartsController controller = cartsController();
        Model cart = new ExtendedModelMap();
        controller.detail(cart, new MockHttpServletResponse(), String.valueOf(orderId(3)));
        assertThat(render("cartRecovery/cart", cart)).contains("Read from the primary database, not the read replica");
    }

    private void abandonedCart(int n) {
        Timestamp idleSince = Timestamp.from(clock.instant().minus(Duration.ofHours(1)));
        primary.update("INSERT INTO CR_CAPTURED_CART (ORDER_ID, EMAIL, MARKETING_CONSENT, CURRENCY_CODE, ITEM_COUNT, SUBTOTAL, TOTAL,"
                + " STATUS, FIRST_SEEN, LAST_ACTIVITY, STATUS_CHANGED_AT, ORIGIN) VALUES (?, ?, 'UNKNOWN', 'USD', 2, 50, 52.5, 'IDLE', ?, ?, ?,"
                + " 'STOREFRONT')", orderId(n), "replica-" + n + "@example.com", idleSince,
                Timestamp.from(idleSince.toInstant().plusSeconds(n)), idleSince);
    }

    private static long orderId(int n) {
        return 93_000_000L + n;
    }

    /**
     * Waits (30 s at most) until the replica shows the primary's newest heartbeat: the WAL position alone was seen
     * replayed a moment before the standby's queries saw the rows.
     */
    private void awaitHeartbeatOnReplica() throws InterruptedException {
        String newest = primary.queryForObject("SELECT VALUE FROM CR_SETTING WHERE NAME = ?", String.class, ReplicaHeartbeat.SETTING);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String seen;
        while (!newest.equals(seen = onReplica.queryForObject("SELECT VALUE FROM CR_SETTING WHERE NAME = ?", String.class,
                ReplicaHeartbeat.SETTING))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the replica still shows heartbeat " + seen + " 30 s after the primary wrote " + newest);
            }
            Thread.sleep(50);
        }
    }

    private Model reportPage() throws Exception {
        Model model = new ExtendedModelMap();
        reportController().report(model, DAY, DAY, null);
        return model;
    }

    private MockHttpServletResponse csv() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        reportController().csv(response, DAY, DAY, null);
        assertThat(response.getStatus()).isEqualTo(200);
        return response;
    }

    private Model cartList() throws Exception {
        Model model = new ExtendedModelMap();
        cartsController().list(model, null, null, null, null);
        return model;
    }

    private static ReadSource readSource(Model page) {
        return (ReadSource) page.asMap().get("readSource");
    }

    private static long abandonedCarts(Model page) {
        return ((RecoveryReport) page.asMap().get("report")).getKpis().getAbandonedCarts();
    }

    @SuppressWarnings("unchecked")
    private static List<Long> orderIds(Model page) {
        List<Long> ids = new java.util.ArrayList<>();
        for (AbandonedCartLog.CartRow row : (List<AbandonedCartLog.CartRow>) page.asMap().get("carts")) {
            ids.add(row.getOrderId());
        }
        return ids;
    }

    private RecoveryReportController reportController() {
        RecoveryReportController controller = new RecoveryReportController(store.bean("crRecoveryReports", RecoveryReports.class),
                store.bean("crSchedulerHealth", SchedulerHealth.class), store.bean("crClock", java.time.Clock.class),
                store.bean("crStoreTime", StoreTime.class),
                store.bean("crCampaignRepository", io.github.cartrecovery.campaign.CampaignRepository.class));
        wireBroadleaf(controller);
        return controller;
    }

    private AbandonedCartsController cartsController() {
        AbandonedCartsController controller = new AbandonedCartsController(store.bean("crAbandonedCartLog", AbandonedCartLog.class),
                store.bean("crPersonalDataPermission", PersonalDataPermission.class), store.bean("crStoreTime", StoreTime.class));
        wireBroadleaf(controller);
        return controller;
    }

    /** Broadleaf's services, as the admin's servlet context wires a controller (no controller extension handlers). */
    private void wireBroadleaf(Object controller) {
        ReflectionTestUtils.setField(controller, "adminRemoteSecurityService", store.bean("blAdminSecurityRemoteService", SecurityVerifier.class));
        ReflectionTestUtils.setField(controller, "adminNavigationService", store.bean("blAdminNavigationService", AdminNavigationService.class));
        ReflectionTestUtils.setField(controller, "extensionManager", new AdminAbstractControllerExtensionManager());
    }

    private static AdminUser operator(AdminSecurityService security, AdminPermission permission) {
        AdminUser user = new AdminUserImpl();
        user.setLogin("cr-replica-operator");
        user.setName("cr-replica-operator");
        user.setEmail("cr-replica-operator@example.com");
        user.setUnencodedPassword("secret-cr-replica-operator");
        user.setActiveStatusFlag(true);
        user.setAllPermissions(new HashSet<>(Collections.singleton(permission)));
        return security.saveAdminUser(user);
    }

    /** The plugin's view as the admin's defaultContainer includes it, with the merged message source. */
    private String render(String view, Model model) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("open_admin_style/templates/views/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode("HTML5");
        resolver.setCharacterEncoding("UTF-8");
        SpringTemplateEngine engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        SpringMessageResolver messages = new SpringMessageResolver();
        messages.setMessageSource(store.bean("messageSource", MessageSource.class));
        engine.setMessageResolver(messages);
        MockServletContext servletContext = new MockServletContext();
        MockHttpServletRequest request = new MockHttpServletRequest(servletContext);
        request.setContextPath("/admin");
        return engine.process(view, new SpringWebContext(request, new MockHttpServletResponse(), servletContext, Locale.ENGLISH,
                model.asMap(), store.context()));
    }
}
