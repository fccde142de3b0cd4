package io.github.cartrecovery.admin.screens;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TimeZone;
import java.util.stream.Collectors;

import org.broadleafcommerce.common.web.BroadleafRequestContext;
import org.broadleafcommerce.openadmin.server.security.domain.AdminPermission;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUser;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUserImpl;
import org.broadleafcommerce.openadmin.server.security.remote.SecurityVerifier;
import org.broadleafcommerce.openadmin.server.security.service.AdminSecurityService;
import org.broadleafcommerce.openadmin.server.security.service.navigation.AdminNavigationService;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractController;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractControllerExtensionManager;
import org.springframework.context.MessageSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletContext;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.ui.Model;
import org.thymeleaf.spring3.SpringTemplateEngine;
import org.thymeleaf.spring3.context.SpringWebContext;
import org.thymeleaf.spring3.messageresolver.SpringMessageResolver;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import io.github.cartrecovery.testing.PluginContext;

/**
 * What the admin screen tests share: admin users with chosen permissions, signing one in (Spring Security and
 * Broadleaf's request context, as the admin's filters would), a controller wired as the admin's servlet context wires
 * it, and a view rendered with the plugin's messages the way the admin renders it (Thymeleaf 2.1, HTML5 mode).
 */
final class AdminScreens {

    private AdminScreens() {
    }

    /** A saved, active admin user holding exactly these permissions (none: a clerk without Cart Recovery). */
    static AdminUser user(AdminSecurityService security, String login, AdminPermission... permissions) {
        AdminUser user = new AdminUserImpl();
        user.setLogin(login);
        user.setName(login);
        user.setEmail(login + "@example.com");
        user.setUnencodedPassword("secret-" + login);
        user.setActiveStatusFlag(true);
        Set<AdminPermission> held = Arrays.stream(permissions).filter(Objects::nonNull)
                .collect(Collectors.toCollection(HashSet::new));
        user.setAllPermissions(held);
        return security.saveAdminUser(user);
    }

    /** Signs the user in for this thread, in UTC. */
    static void logIn(AdminUser user) {
        BroadleafRequestContext request = new BroadleafRequestContext();
        request.setTimeZone(TimeZone.getTimeZone("UTC"));
        BroadleafRequestContext.setBroadleafRequestContext(request);
        User principal = new User(user.getLogin(), "n/a",
                Collections.singletonList(new SimpleGrantedAuthority("PERMISSION_OTHER_DEFAULT")));
        SecurityContextHolder.getContext().setAuthentication(
                new UsernamePasswordAuthenticationToken(principal, "n/a", principal.getAuthorities()));
    }

    /** Signs out of this thread (after each test). */
    static void logOut() {
        SecurityContextHolder.clearContext();
        BroadleafRequestContext.setBroadleafRequestContext(null);
    }

    /** The controller with the fields Broadleaf's admin injects into every {@link AdminAbstractController}. */
    static <T extends AdminAbstractController> T wired(T controller, SecurityVerifier security,
                                                      AdminNavigationService navigation) {
        ReflectionTestUtils.setField(controller, "adminRemoteSecurityService", security);
        ReflectionTestUtils.setField(controller, "adminNavigationService", navigation);
        ReflectionTestUtils.setField(controller, "extensionManager", new AdminAbstractControllerExtensionManager());
        return controller;
    }

    /** The view (e.g. "cartRecovery/operations") rendered with the model, in English, under context path /admin. */
    static String render(PluginContext broadleaf, String view, Model model) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("open_admin_style/templates/views/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode("HTML5");
        resolver.setCharacterEncoding("UTF-8");
        SpringTemplateEngine engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        SpringMessageResolver messages = new SpringMessageResolver();
        messages.setMessageSource(broadleaf.bean("messageSource", MessageSource.class));
        engine.setMessageResolver(messages);
        MockServletContext servletContext = new MockServletContext();
        MockHttpServletRequest request = new MockHttpServletRequest(servletContext);
        request.setContextPath("/admin");
        SpringWebContext context = new SpringWebContext(request, new MockHttpServletResponse(), servletContext,
                Locale.ENGLISH, model.asMap(), broadleaf.context());
        return engine.process(view, context);
    }
}
