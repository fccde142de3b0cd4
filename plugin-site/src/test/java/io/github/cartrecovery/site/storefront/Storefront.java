package io.github.cartrecovery.site.storefront;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.broadleafcommerce.common.web.BroadleafRequestContext;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.web.order.CartState;
import org.broadleafcommerce.core.web.order.security.CartStateFilter;
import org.broadleafcommerce.profile.core.domain.Customer;
import org.broadleafcommerce.profile.core.service.CustomerService;
import org.broadleafcommerce.profile.web.core.CustomerState;
import org.broadleafcommerce.profile.web.core.security.CustomerStateFilter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.orm.jpa.support.OpenEntityManagerInViewFilter;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.mock.web.MockServletContext;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.support.XmlWebApplicationContext;

import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.links.LinkTokens;
import io.github.cartrecovery.testing.PluginContext;

/**
 * A Broadleaf storefront in MockMvc: the plugin's site servlet file under Broadleaf's root context, behind
 * Broadleaf's own customer-state and cart-state filters (so carts and customers resolve from the session
 * exactly as on a real site), plus what a site's request and security filters would do: the
 * BroadleafRequestContext, and Spring Security's context for a session marked as logged in.
 * {@link #seenBy(MockHttpSession)} makes one more request and reports whom and which cart Broadleaf resolved.
 */
final class Storefront implements AutoCloseable {

    static final String LOGGED_IN_AS = "storefront.test.loggedInAs";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final PluginContext broadleaf;
    final XmlWebApplicationContext servlet;
    final MockMvc mvc;
    final JdbcTemplate jdbc;
    private final Probe probe = new Probe();

    Storefront(PluginContext broadleaf) {
        this(broadleaf, Map.of());
    }

    /** With beans of the servlet context replaced by these (by id), e.g. an SMS set-up that is switched on. */
    Storefront(PluginContext broadleaf, Map<String, Object> replacedBeans) {
        this(broadleaf, replacedBeans, new String[0]);
    }

    /** With more servlet files after the plugin's (a site's own pages, e.g. Broadleaf's product pages). */
    Storefront(PluginContext broadleaf, Map<String, Object> replacedBeans, String... moreServletFiles) {
        this.broadleaf = broadleaf;
        this.jdbc = new JdbcTemplate(broadleaf.bean("crDataSource", DataSource.class));
        servlet = new XmlWebApplicationContext();
        servlet.setParent(broadleaf.context());
        servlet.setServletContext(new MockServletContext());
        String[] locations = new String[moreServletFiles.length + 1];
        locations[0] = "classpath:/bl-cartrecovery-site-applicationContext-servlet.xml";
        System.arraycopy(moreServletFiles, 0, locations, 1, moreServletFiles.length);
        servlet.setConfigLocations(locations);
        servlet.addBeanFactoryPostProcessor(factory -> replacedBeans.forEach(factory::registerSingleton));
        servlet.refresh();
        CustomerStateFilter customerState = new CustomerStateFilter();
        broadleaf.context().getAutowireCapableBeanFactory().autowireBean(customerState);
        CartStateFilter cartState = broadleaf.bean("blCartStateFilter", CartStateFilter.class);
        // a Broadleaf site opens the entity manager for the whole request (web.xml's OpenEntityManagerInViewFilter)
        final EntityManagerFactory entityManagerFactory = broadleaf.bean("entityManagerFactory", EntityManagerFactory.class);
        OpenEntityManagerInViewFilter openEntityManager = new OpenEntityManagerInViewFilter() {
            @Override
            protected EntityManagerFactory lookupEntityManagerFactory() {
                return entityManagerFactory;
            }
        };
        mvc = MockMvcBuilders.webAppContextSetup(servlet)
                .addFilters(openEntityManager, new SiteRequest(), customerState, cartState, probe)
                .build();
    }

    /** A desktop browser's User-Agent: requests without one are link scanners to the tracking endpoints. */
    static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";

    /** Performs the request as a browser would send it (with {@link #BROWSER} unless it names its own User-Agent). */
    MockHttpServletResponse perform(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.with(new RequestPostProcessor() {
            @Override
            public MockHttpServletRequest postProcessRequest(MockHttpServletRequest built) {
                if (built.getHeader("User-Agent") == null) {
                    built.addHeader("User-Agent", BROWSER);
                }
                return built;
            }
        })).andReturn().getResponse();
    }

    /** Performs the request exactly as built (no default User-Agent). */
    MockHttpServletResponse performAsIs(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse();
    }

    /** Whom and which cart Broadleaf's filters resolve for this session on its next request. */
    Seen seenBy(MockHttpSession session) throws Exception {
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/storefront-probe").session(session));
        return probe.last;
    }

    static MockHttpSession newDevice() {
        MockHttpSession session = new MockHttpSession();
        return session;
    }

    /** A session in which Spring Security has authenticated this customer (as a site's login would). */
    static MockHttpSession loggedIn(Customer customer) {
        MockHttpSession session = new MockHttpSession();
        session.setAttribute(LOGGED_IN_AS, customer.getUsername());
        return session;
    }

    Customer registeredCustomer(String email) {
        CustomerService customers = broadleaf.bean("blCustomerService", CustomerService.class);
        Customer customer = customers.createCustomerFromId(null);
        customer.setUsername("shopper-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6));
        customer.setEmailAddress(email);
        customer.setFirstName("Reggie");
        customer.setRegistered(true);
        return customers.saveCustomer(customer);
    }

    /** A message of a cart sent an hour ago (as delivery leaves it), so links can name it. */
    long plannedMessage(long orderId, String email, int stepNo) {
        return message(orderId, email, stepNo, "SENT");
    }

    /** When {@link #plannedMessage} messages were sent: an hour before now, so a visit now is not an early one. */
    Instant sentAt() {
        return now().minus(java.time.Duration.ofHours(1));
    }

    /** A message still to be sent, due far in the future (no delivery run in any test takes it). */
    long pendingMessage(long orderId, String email, int stepNo) {
        return message(orderId, email, stepNo, "PLANNED");
    }

    private long message(long orderId, String email, int stepNo, String status) {
        Timestamp now = new Timestamp(broadleaf.clock().millis());
        Timestamp due = "PLANNED".equals(status) ? Timestamp.valueOf("2100-01-01 00:00:00") : now;
        Timestamp sent = Timestamp.from(sentAt());
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, LOCALE_CODE, STATUS, "
                + "DUE_AT, ATTEMPTS, SENT_AT, CREATED_AT, UPDATED_AT) VALUES (?, 1, ?, ?, ?, 'en_US', ?, ?, 0, ?, ?, ?)",
                orderId, 1000 + stepNo, stepNo, email, status, due, "SENT".equals(status) ? sent : null, now, now);
        return jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = ?", Long.class,
                orderId, stepNo);
    }

    void flushCaptures() {
        broadleaf.bean("crCaptureBuffer", CaptureBuffer.class).flush();
    }

    LinkTokens tokens() {
        return broadleaf.bean("crLinkTokens", LinkTokens.class);
    }

    Instant now() {
        return broadleaf.clock().instant();
    }

    /** A cart's lines as "name xquantity", sorted, read from Broadleaf's tables. */
    List<String> lines(long orderId) {
        return jdbc.queryForList("SELECT NAME, QUANTITY FROM BLC_ORDER_ITEM WHERE ORDER_ID = ? ORDER BY NAME", orderId)
                .stream().map(row -> row.get("NAME") + " x" + row.get("QUANTITY")).collect(java.util.stream.Collectors.toList());
    }

    /** The unit price Broadleaf charges for a cart's line. */
    java.math.BigDecimal price(long orderId, String name) {
        return jdbc.queryForObject("SELECT PRICE FROM BLC_ORDER_ITEM WHERE ORDER_ID = ? AND NAME = ?",
                java.math.BigDecimal.class, orderId, name);
    }

    int events(long plannedMessageId, String type) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? AND EVENT_TYPE = ?",
                Integer.class, plannedMessageId, type);
    }

    List<Map<String, Object>> suppression(String email) {
        return jdbc.queryForList("SELECT EMAIL, REASON, SOURCE, CREATED_AT FROM CR_SUPPRESSION WHERE EMAIL = ?", email);
    }

    static String path(String url) {
        return url.replaceFirst("^https?://[^/]+", "");
    }

    @Override
    public void close() {
        servlet.close();
    }

    /** Whom Broadleaf resolved and their cart, for one request. */
    static final class Seen {
        final Customer customer;
        final Order cart;

        Seen(Customer customer, Order cart) {
            this.customer = customer;
            this.cart = cart;
        }
    }

    /** Plays the site's request filter (BroadleafRequestContext) and Spring Security's context persistence. */
    private static final class SiteRequest implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            BroadleafRequestContext previous = BroadleafRequestContext.getBroadleafRequestContext();
            BroadleafRequestContext context = new BroadleafRequestContext();
            context.setRequest(http);
            context.setResponse((HttpServletResponse) response);
            context.setWebRequest(new ServletWebRequest(http, (HttpServletResponse) response));
            BroadleafRequestContext.setBroadleafRequestContext(context);
            Object username = http.getSession(true).getAttribute(LOGGED_IN_AS);
            if (username != null) {
                SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(username, "n/a",
                        List.of(new SimpleGrantedAuthority("ROLE_USER"))));
            }
            try {
                chain.doFilter(request, response);
            } finally {
                SecurityContextHolder.clearContext();
                BroadleafRequestContext.setBroadleafRequestContext(previous);
            }
        }

        @Override
        public void init(FilterConfig config) {
        }

        @Override
        public void destroy() {
        }
    }

    /** Last in the chain: remembers what the filters resolved for the probe request. */
    private static final class Probe implements Filter {
        volatile Seen last;

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (((HttpServletRequest) request).getRequestURI().equals("/storefront-probe")) {
                last = new Seen(CustomerState.getCustomer(), CartState.getCart());
                ((HttpServletResponse) response).setStatus(204);
                return;
            }
            chain.doFilter(request, response);
        }

        @Override
        public void init(FilterConfig config) {
        }

        @Override
        public void destroy() {
        }
    }
}
