package io.github.cartrecovery.admin.screens;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.common.web.BroadleafRequestContext;
import org.broadleafcommerce.openadmin.dto.ClassMetadata;
import org.broadleafcommerce.openadmin.dto.DynamicResultSet;
import org.broadleafcommerce.openadmin.dto.Entity;
import org.broadleafcommerce.openadmin.dto.FilterAndSortCriteria;
import org.broadleafcommerce.openadmin.dto.Property;
import org.broadleafcommerce.openadmin.server.domain.PersistencePackageRequest;
import org.broadleafcommerce.openadmin.server.security.domain.AdminPermission;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUser;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUserImpl;
import org.broadleafcommerce.openadmin.server.security.remote.SecurityVerifier;
import org.broadleafcommerce.openadmin.server.security.service.AdminSecurityService;
import org.broadleafcommerce.openadmin.server.security.service.navigation.AdminNavigationService;
import org.broadleafcommerce.openadmin.server.service.AdminEntityService;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractControllerExtensionManager;
import org.broadleafcommerce.openadmin.web.form.component.ListGrid;
import org.broadleafcommerce.openadmin.web.form.entity.EntityForm;
import org.broadleafcommerce.openadmin.web.form.entity.Field;
import org.broadleafcommerce.openadmin.web.service.FormBuilderService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.ExtendedModelMap;
import org.springframework.ui.Model;

import io.github.cartrecovery.admin.carts.AbandonedCartLog;
import io.github.cartrecovery.admin.personaldata.PersonalDataPermission;
import io.github.cartrecovery.admin.web.AbandonedCartsController;
import io.github.cartrecovery.testing.BroadleafWithPlugin;

/**
 * Personal data on the Cart Recovery admin screens: an operator (allowed every screen, without
 * PERMISSION_CARTRECOVERY_PERSONAL_DATA) sees {@code j***@example.com}-style values in Broadleaf's generic lists and
 * forms and on the Abandoned Carts screens; a user holding the permission sees the stored values. Users hold their
 * permissions directly (not through ROLE_ADMIN, whose grants AdminScreensIT counts).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@BroadleafWithPlugin(patches = {"bl-cartrecovery-applicationContext.xml", "bl-cartrecovery-admin-applicationContext.xml"})
class PersonalDataScreensIT {

    static final String JANE = "jane.doe@example.com";
    static final String SUPPRESSION = "io.github.cartrecovery.delivery.Suppression";
    static final String MESSAGE = "io.github.cartrecovery.delivery.PlannedMessage";
    static final String EVENT = "io.github.cartrecovery.delivery.MessageEvent";
    static final String CART = "io.github.cartrecovery.capture.CapturedCart";
    static final long ORDER_ID = 92_000_001L;
    static final String SMTP_REPLY = "javax.mail.SendFailedException: 550 5.1.1 <" + JANE + ">: Recipient address rejected";

    @Resource(name = "crDataSource") DataSource dataSource;
    @Resource(name = "blAdminSecurityService") AdminSecurityService security;
    @Resource(name = "blAdminSecurityRemoteService") SecurityVerifier securityVerifier;
    @Resource(name = "blAdminNavigationService") AdminNavigationService navigation;
    @Resource(name = "blAdminEntityService") AdminEntityService entities;
    @Resource(name = "blFormBuilderService") FormBuilderService forms;
    @Resource(name = "blTransactionManager") PlatformTransactionManager transactions;

    JdbcTemplate jdbc;
    AdminUser operator;
    AdminUser officer;
    long messageId;

    @BeforeAll
    void usersAndAShoppersRows() {
        jdbc = new JdbcTemplate(dataSource);
        operator = user("cr-pd-operator", -8611L);
        officer = user("cr-pd-officer", -8611L, -8950L);
        Timestamp at = Timestamp.from(Instant.parse("2031-04-02T09:00:00Z"));
        jdbc.update("INSERT INTO CR_CAPTURED_CART (ORDER_ID, EMAIL, MARKETING_CONSENT, CURRENCY_CODE, ITEM_COUNT, SUBTOTAL, TOTAL, STATUS,"
                + " FIRST_SEEN, LAST_ACTIVITY, STATUS_CHANGED_AT, ORIGIN, CLIENT_IP, USER_AGENT) VALUES (?, ?, 'UNKNOWN', 'USD', 1, 10, 10,"
                + " 'IN_RECOVERY', ?, ?, ?, 'STOREFRONT', '203.0.113.7', 'Mozilla/5.0 (X11; Linux x86_64)')", ORDER_ID, JANE, at, at, at);
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, STATUS, DUE_AT, ATTEMPTS, OUTCOME,"
                + " LAST_ERROR, CREATED_AT, UPDATED_AT) VALUES (?, -1, -1, 1, ?, 'FAILED', ?, 1, 'PERMANENT', ?, ?, ?)",
                ORDER_ID, JANE, at, SMTP_REPLY, at, at);
        messageId = jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?", Long.class, ORDER_ID);
        jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT, DETAIL, REPORTED) VALUES (?, 'FAILED', ?, ?, 1)",
                messageId, at, SMTP_REPLY);
        jdbc.update("INSERT INTO CR_SUPPRESSION (EMAIL, REASON, SOURCE, CREATED_AT) VALUES (?, 'BOUNCED', ?, ?)", JANE, "smtp: " + SMTP_REPLY, at);
    }

    @AfterAll
    void removeTheShoppersRows() {
        jdbc.update("DELETE FROM CR_SUPPRESSION WHERE EMAIL = ?", JANE);
        jdbc.update("DELETE FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ?", messageId);
        jdbc.update("DELETE FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?", ORDER_ID);
        jdbc.update("DELETE FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", ORDER_ID);
    }

    @AfterEach
    void logOut() {
        SecurityContextHolder.clearContext();
        BroadleafRequestContext.setBroadleafRequestContext(null);
    }

    @Test
    void anOperatorSeesMaskedPersonalDataInEveryGenericList() throws Exception {
        logIn(operator);

        assertThat(listed(SUPPRESSION, "email")).containsExactly("j***@example.com");
        assertThat(listed(SUPPRESSION, "source")).containsExactly("smtp: javax.mail.SendFailedException: 550 5.1.1 <j***@example.com>: Recipient address rejected");
        assertThat(listed(MESSAGE, "email")).containsExactly("j***@example.com");
        assertThat(listed(MESSAGE, "lastError")).containsExactly("javax.mail.SendFailedException: 550 5.1.1 <j***@example.com>: Recipient address rejected");
        assertThat(listed(EVENT, "detail")).containsExactly("javax.mail.SendFailedException: 550 5.1.1 <j***@example.com>: Recipient address rejected");
        assertThat(listed(CART, "email")).containsExactly("j***@example.com");
        for (String ceiling : Arrays.asList(SUPPRESSION, MESSAGE, EVENT, CART)) {
            assertThat(everyValue(ceiling)).as(ceiling).noneMatch(value -> value.contains(JANE));
        }
    }

    @Test
    void anOperatorSeesMaskedPersonalDataInTheListGridAndTheEntityForm() throws Exception {
        logIn(operator);
        PersistencePackageRequest request = ours(SUPPRESSION);
        ClassMetadata metadata = entities.getClassMetadata(request).getDynamicResultSet().getClassMetaData();
        DynamicResultSet rows = entities.getRecords(request).getDynamicResultSet();

        // as in the admin, where the request keeps an entity manager open (Broadleaf's open-entity-manager-in-view)
        ListGrid grid = inTransaction(() -> forms.buildMainListGrid(rows, metadata, "/cart-recovery-suppression", new ArrayList<>()));
        List<String> cells = grid.getRecords().stream().flatMap(r -> r.getFields().stream())
                .flatMap(f -> Stream.of(f.getValue(), f.getDisplayValue())).filter(v -> v != null).collect(Collectors.toList());
        assertThat(cells).contains("j***@example.com").noneMatch(value -> value.contains(JANE));

        Entity suppression = rows.getRecords()[0];
        EntityForm form = inTransaction(() -> forms.createEntityForm(metadata, suppression, new ArrayList<>()));
        assertThat(form.findField("email").getValue()).isEqualTo("j***@example.com");
        assertThat(form.getFields().values().stream().map(Field::getValue).filter(v -> v != null)).noneMatch(value -> value.contains(JANE));
    }

    @Test
    void aUserWithThePermissionSeesTheStoredValues() throws Exception {
        logIn(officer);

        assertThat(listed(SUPPRESSION, "email")).containsExactly(JANE);
        assertThat(listed(MESSAGE, "email")).containsExactly(JANE);
        assertThat(listed(EVENT, "detail")).containsExactly(SMTP_REPLY);
        assertThat(listed(CART, "email")).containsExactly(JANE);
    }

    @Test
    void anOperatorSavingAFormWithTheMaskedAddressKeepsTheStoredOne() throws Exception {
        logIn(operator);
        EntityForm form = new EntityForm();
        form.setCeilingEntityClassname(SUPPRESSION);
        form.setEntityType(SUPPRESSION);
        form.setId(suppressionId());
        form.addField(field("email", "j***@example.com"));
        form.addField(field("reason", "MANUAL"));
        form.addField(field("source", "smtp: javax.mail.SendFailedException: 550 5.1.1 <j***@example.com>: Recipient address rejected"));

        Entity saved = entities.updateEntity(form, null, new ArrayList<>()).getEntity();

        assertThat(saved.isValidationFailure()).as(String.valueOf(saved.getPropertyValidationErrors())).isFalse();
        assertThat(jdbc.queryForMap("SELECT EMAIL, REASON, SOURCE FROM CR_SUPPRESSION WHERE ID = ?", Long.valueOf(suppressionId())))
                .containsEntry("EMAIL", JANE).containsEntry("REASON", "MANUAL").containsEntry("SOURCE", "smtp: " + SMTP_REPLY);
        jdbc.update("UPDATE CR_SUPPRESSION SET REASON = 'BOUNCED' WHERE EMAIL = ?", JANE);
    }

    @Test
    void theAbandonedCartsScreensMaskForAnOperatorAndNotForAUserWithThePermission() throws Exception {
        logIn(operator);
        Model list = new ExtendedModelMap();
        cartsController().list(list, null, "2031-04-01", "2031-04-30", null);
        Model page = new ExtendedModelMap();
        cartsController().detail(page, new MockHttpServletResponse(), String.valueOf(ORDER_ID));

        assertThat(rows(list)).extracting(AbandonedCartLog.CartRow::getEmail).containsExactly("j***@example.com");
        AbandonedCartLog.MessageRow message = ((AbandonedCartLog.CartDetail) page.asMap().get("detail")).getMessages().get(0);
        assertThat(message.getLastError()).contains("<j***@example.com>").doesNotContain(JANE);
        assertThat(message.getEvents().get(0).getDetail()).contains("<j***@example.com>").doesNotContain(JANE);

        logIn(officer);
        Model officerList = new ExtendedModelMap();
        cartsController().list(officerList, null, "2031-04-01", "2031-04-30", null);
        Model officerPage = new ExtendedModelMap();
        cartsController().detail(officerPage, new MockHttpServletResponse(), String.valueOf(ORDER_ID));

        assertThat(rows(officerList)).extracting(AbandonedCartLog.CartRow::getEmail).containsExactly(JANE);
        assertThat(((AbandonedCartLog.CartDetail) officerPage.asMap().get("detail")).getMessages().get(0).getEvents().get(0).getDetail())
                .isEqualTo(SMTP_REPLY);
    }

    @Test
    void thePermissionIsGrantedToNoRoleByDefault() {
        assertThat(jdbc.queryForObject("SELECT NAME FROM BLC_ADMIN_PERMISSION WHERE ADMIN_PERMISSION_ID = -8950", String.class))
                .isEqualTo(PersonalDataPermission.NAME);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM BLC_ADMIN_ROLE_PERMISSION_XREF WHERE ADMIN_PERMISSION_ID BETWEEN -8959 AND -8950",
                Integer.class)).isZero();
    }

    private List<String> listed(String ceiling, String property) throws Exception {
        return Arrays.stream(entities.getRecords(ours(ceiling)).getDynamicResultSet().getRecords())
                .map(e -> e.findProperty(property)).flatMap(p -> Stream.of(p.getValue(), p.getDisplayValue()))
                .filter(v -> v != null).distinct().collect(Collectors.toList());
    }

    private Set<String> everyValue(String ceiling) throws Exception {
        Set<String> values = new HashSet<>();
        for (Entity entity : entities.getRecords(ours(ceiling)).getDynamicResultSet().getRecords()) {
            for (Property property : entity.getProperties()) {
                Stream.of(property.getValue(), property.getDisplayValue()).filter(v -> v != null).forEach(values::add);
            }
        }
        return values;
    }

    /** The screen's list filtered to this test's rows (other tests' rows may share the tables). */
    private PersistencePackageRequest ours(String ceiling) {
        FilterAndSortCriteria filter;
        if (CART.equals(ceiling)) {
            filter = new FilterAndSortCriteria("orderId", String.valueOf(ORDER_ID));
        } else if (SUPPRESSION.equals(ceiling)) {
            filter = new FilterAndSortCriteria("id", suppressionId());
        } else if (MESSAGE.equals(ceiling)) {
            filter = new FilterAndSortCriteria("id", String.valueOf(messageId));
        } else {
            filter = new FilterAndSortCriteria("plannedMessageId", String.valueOf(messageId));
        }
        return PersistencePackageRequest.standard().withCeilingEntityClassname(ceiling)
                .withFilterAndSortCriteria(new FilterAndSortCriteria[] {filter});
    }

    private String suppressionId() {
        return String.valueOf(jdbc.queryForObject("SELECT ID FROM CR_SUPPRESSION WHERE EMAIL = ?", Long.class, JANE));
    }

    @SuppressWarnings("unchecked")
    private static List<AbandonedCartLog.CartRow> rows(Model model) {
        return (List<AbandonedCartLog.CartRow>) model.asMap().get("carts");
    }

    private AbandonedCartsController cartsController() {
        AbandonedCartsController controller = new AbandonedCartsController(new AbandonedCartLog(dataSource),
                new PersonalDataPermission(securityVerifier, security), new io.github.cartrecovery.formatting.StoreTime("UTC"));
        ReflectionTestUtils.setField(controller, "adminRemoteSecurityService", securityVerifier);
        ReflectionTestUtils.setField(controller, "adminNavigationService", navigation);
        ReflectionTestUtils.setField(controller, "extensionManager", new AdminAbstractControllerExtensionManager());
        return controller;
    }

    private <T> T inTransaction(java.util.concurrent.Callable<T> work) {
        return new TransactionTemplate(transactions).execute(tx -> {
            try {
                return work.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Field field(String name, String value) {
        Field field = new Field();
        field.setName(name);
        field.setValue(value);
        return field;
    }

    private AdminUser user(String login, Long... permissionIds) {
        AdminUser user = new AdminUserImpl();
        user.setLogin(login);
        user.setName(login);
        user.setEmail(login + "@example.com");
        user.setUnencodedPassword("secret-" + login);
        user.setActiveStatusFlag(true);
        Set<AdminPermission> permissions = new HashSet<>();
        for (Long id : permissionIds) {
            permissions.add(security.readAdminPermissionById(id));
        }
        user.setAllPermissions(permissions);
        return security.saveAdminUser(user);
    }

    /** What Broadleaf's admin filters set up for a logged-in request: the user, and the request's time zone. */
    private static void logIn(AdminUser user) {
        BroadleafRequestContext request = new BroadleafRequestContext();
        request.setTimeZone(TimeZone.getTimeZone("UTC"));
        BroadleafRequestContext.setBroadleafRequestContext(request);
        User principal = new User(user.getLogin(), "n/a", Collections.singletonList(new SimpleGrantedAuthority("PERMISSION_OTHER_DEFAULT")));
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(principal, "n/a", principal.getAuthorities()));
    }
}
