package io.github.cartrecovery.site.exitintent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.broadleafcommerce.common.web.BroadleafRequestContext;
import org.broadleafcommerce.core.order.domain.NullOrderImpl;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.domain.OrderItem;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.broadleafcommerce.core.web.order.CartState;
import org.broadleafcommerce.profile.core.domain.Customer;
import org.codehaus.jackson.JsonNode;
import org.codehaus.jackson.map.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletContext;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.support.StaticWebApplicationContext;
import org.thymeleaf.TemplateProcessingParameters;
import org.thymeleaf.resourceresolver.IResourceResolver;
import org.thymeleaf.spring3.SpringTemplateEngine;
import org.thymeleaf.spring3.context.SpringWebContext;
import org.thymeleaf.spring3.expression.ThymeleafEvaluationContext;
import org.thymeleaf.templateresolver.TemplateResolver;

import io.github.cartrecovery.capture.ExitIntentSettings;
import io.github.cartrecovery.detection.ExclusionRules;

/**
 * The server decides whether a page gets the exit-intent dialog at all: only a shopper with items in an open cart, no
 * known email and a browser's User-Agent, while the setting is on; the texts follow the page's locale and come out
 * escaped in the tag docs/install.md gives (rendered by Thymeleaf 2.1 with Spring, as Broadleaf 3.1 does).
 */
class ExitIntentOffersTest {

    private static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";
    private static final Path INSTALL_GUIDE = Paths.get("..", "docs", "install.md");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExclusionRules rules = new ExclusionRules("bot,crawler,spider,headlesschrome", "", "", "", true, "0", false);

    @AfterEach
    void clearRequestContext() {
        BroadleafRequestContext.setBroadleafRequestContext(null);
    }

    @Test
    void aGuestWithItemsAndNoEmailGetsTheOfferWithTheEndpointUnderTheContextPath() throws Exception {
        JsonNode offer = JSON.readTree(offers(true, 30).offer(cart(7L, null, null), CHROME, Locale.ENGLISH, "/shop"));
        assertThat(offer.get("endpoint").getTextValue()).isEqualTo("/shop/cart-recovery/email");
        assertThat(offer.get("idleSeconds").getIntValue()).isEqualTo(30);
        assertThat(offer.get("lang").getTextValue()).isEqualTo("en");
        assertThat(offer.get("texts").get("title").getTextValue()).isEqualTo("Before you go");
        assertThat(offer.get("texts").get("close").getTextValue()).isEqualTo("Close");
    }

    @Test
    void aKnownEmailMeansNoOffer() {
        ExitIntentOffers offers = offers(true, 30);
        assertThat(offers.offer(cart(1L, "jane@example.com", null), CHROME, Locale.ENGLISH, "")).as("cart's email").isNull();
        Customer registered = mock(Customer.class);
        when(registered.getEmailAddress()).thenReturn("joe@example.com");
        assertThat(offers.offer(cart(2L, null, registered), CHROME, Locale.ENGLISH, "")).as("customer's email").isNull();
        assertThat(offers.offer(cart(3L, "  ", null), CHROME, Locale.ENGLISH, "")).as("a blank address is not known").isNotNull();
    }

    @Test
    void anEmptyMissingOrSubmittedCartMeansNoOffer() {
        ExitIntentOffers offers = offers(true, 30);
        Order empty = cart(4L, null, null);
        when(empty.getOrderItems()).thenReturn(new ArrayList<OrderItem>());
        assertThat(offers.offer(empty, CHROME, Locale.ENGLISH, "")).isNull();
        assertThat(offers.offer(null, CHROME, Locale.ENGLISH, "")).isNull();
        assertThat(offers.offer(new NullOrderImpl(), CHROME, Locale.ENGLISH, "")).isNull();
        Order submitted = cart(5L, null, null);
        when(submitted.getStatus()).thenReturn(OrderStatus.SUBMITTED);
        assertThat(offers.offer(submitted, CHROME, Locale.ENGLISH, "")).isNull();
    }

    @Test
    void botsAndRequestsWithoutAUserAgentNeverGetIt() {
        ExitIntentOffers offers = offers(true, 30);
        Order cart = cart(6L, null, null);
        assertThat(offers.offer(cart, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", Locale.ENGLISH, "")).isNull();
        assertThat(offers.offer(cart, CHROME.replace("Chrome/", "HeadlessChrome/"), Locale.ENGLISH, "")).isNull();
        assertThat(offers.offer(cart, null, Locale.ENGLISH, "")).isNull();
        assertThat(offers.offer(cart, CHROME, Locale.ENGLISH, "")).as("the same cart in a browser").isNotNull();
    }

    @Test
    void switchedOffThereIsNeverAnOffer() {
        assertThat(offers(false, 30).offer(cart(8L, null, null), CHROME, Locale.ENGLISH, "")).isNull();
    }

    @Test
    void aNegativeIdleTimeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new ExitIntentSettings(true, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cartrecovery.capture.exit-intent.mobile-idle-seconds").hasMessageContaining("0 or more");
    }

    @Test
    void theTextsFollowTheLocaleAndFallBackToEnglish() {
        ExitIntentTexts texts = new ExitIntentTexts();
        assertThat(texts.forLocale(Locale.GERMAN).get("close")).isEqualTo("Schließen");
        assertThat(texts.forLocale(Locale.GERMANY).get("title")).isEqualTo("Bevor Sie gehen");
        assertThat(texts.forLocale(Locale.FRENCH).get("title")).isEqualTo("Avant de partir");
        assertThat(texts.forLocale(new Locale("es", "MX")).get("submit")).isEqualTo("Guardar mi carrito");
        assertThat(texts.forLocale(new Locale("it")).get("title")).as("no Italian file: English").isEqualTo("Before you go");
        for (Locale locale : new Locale[] {Locale.ENGLISH, Locale.GERMAN, Locale.FRENCH, new Locale("es")}) {
            assertThat(texts.forLocale(locale)).as(locale.toString()).containsOnlyKeys(ExitIntentTexts.KEYS);
        }
    }

    @Test
    void theDocumentedTagRendersTheOfferEscapedPerLocale() throws Exception {
        String block = documentedBlock();
        String french = render(block, cart(9L, null, null), CHROME, Locale.FRENCH);
        assertThat(french).contains("<script data-src=\"/shop/cart-recovery/exit-intent.js\" data-exit-intent=\"")
                .contains("script.src = tag.getAttribute('data-src');", "window.addEventListener('load', load);", "</script>")
                .contains("Avant de partir", "&quot;endpoint&quot;:&quot;/shop/cart-recovery/email&quot;")
                .contains("Veuillez v\u00e9rifier l&#39;adresse e-mail.");
        assertThat(offerIn(french).get("texts").get("title").getTextValue()).isEqualTo("Avant de partir");
        assertThat(offerIn(render(block, cart(9L, null, null), CHROME, Locale.GERMAN)).get("texts").get("close").getTextValue())
                .isEqualTo("Schließen");
        assertThat(offerIn(render(block, cart(9L, null, null), CHROME, new Locale("es"))).get("lang").getTextValue()).isEqualTo("es");

        String hostile = render(block, cart(9L, null, null), CHROME, new Locale("zz"));
        assertThat(hostile).doesNotContain("<script>alert", "<b>cart", "Jerry's")
                .contains("&lt;/script&gt;&lt;script&gt;alert(\\&quot;title\\&quot;)", "Tom &amp; Jerry&#39;s &lt;b&gt;cart");
        assertThat(offerIn(hostile).get("texts").get("title").getTextValue()).isEqualTo("</script><script>alert(\"title\")</script>");
    }

    @Test
    void theDocumentedTagRendersNothingWhenThereIsNoOffer() throws Exception {
        String block = documentedBlock();
        assertThat(render(block, cart(10L, "jane@example.com", null), CHROME, Locale.ENGLISH)).doesNotContain("<script", "exit-intent");
        assertThat(render(block, cart(10L, null, null), "Googlebot/2.1", Locale.ENGLISH)).doesNotContain("<script", "exit-intent");
    }

    private ExitIntentOffers offers(boolean enabled, int idleSeconds) {
        return new ExitIntentOffers(new ExitIntentSettings(enabled, idleSeconds), rules, new ExitIntentTexts());
    }

    private static Order cart(Long id, String email, Customer customer) {
        Order cart = mock(Order.class);
        when(cart.getId()).thenReturn(id);
        when(cart.getStatus()).thenReturn(OrderStatus.IN_PROCESS);
        List<OrderItem> items = new ArrayList<>();
        items.add(mock(OrderItem.class));
        when(cart.getOrderItems()).thenReturn(items);
        when(cart.getEmailAddress()).thenReturn(email);
        when(cart.getCustomer()).thenReturn(customer);
        return cart;
    }

    private static String documentedBlock() throws Exception {
        String guide = new String(Files.readAllBytes(INSTALL_GUIDE), StandardCharsets.UTF_8);
        Matcher blocks = Pattern.compile("```html\\n(.*?)```", Pattern.DOTALL).matcher(guide);
        while (blocks.find()) {
            if (blocks.group(1).contains("exit-intent.js")) {
                return blocks.group(1);
            }
        }
        throw new AssertionError("docs/install.md has no html block with exit-intent.js");
    }

    private static JsonNode offerIn(String page) throws Exception {
        Matcher attribute = Pattern.compile("data-exit-intent=\"([^\"]*)\"").matcher(page);
        assertThat(attribute.find()).as("data-exit-intent in " + page).isTrue();
        String json = attribute.group(1).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&");
        return JSON.readTree(json);
    }

    /** Renders the block as Broadleaf 3.1 would: Thymeleaf 2.1 with Spring, HTML5 mode, a site under /shop, the cart on the request. */
    private String render(String block, Order cart, String userAgent, Locale locale) {
        String template = "<!DOCTYPE html>\n<html xmlns:th=\"http://www.thymeleaf.org\"><body><p>page</p>" + block + "</body></html>";
        TemplateResolver resolver = new TemplateResolver();
        resolver.setTemplateMode("HTML5");
        resolver.setCacheable(false);
        resolver.setResourceResolver(new IResourceResolver() {
            @Override
            public String getName() {
                return "install-guide";
            }

            @Override
            public InputStream getResourceAsStream(TemplateProcessingParameters parameters, String resourceName) {
                return new ByteArrayInputStream(template.getBytes(StandardCharsets.UTF_8));
            }
        });
        SpringTemplateEngine engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        MockServletContext servletContext = new MockServletContext();
        servletContext.setContextPath("/shop");
        StaticWebApplicationContext context = new StaticWebApplicationContext();
        context.setServletContext(servletContext);
        context.getBeanFactory().registerSingleton("crExitIntent", offers(true, 30));
        context.refresh();
        MockHttpServletRequest request = new MockHttpServletRequest(servletContext);
        request.setContextPath("/shop");
        request.addHeader("User-Agent", userAgent);
        MockHttpServletResponse response = new MockHttpServletResponse();
        BroadleafRequestContext requestContext = new BroadleafRequestContext();
        requestContext.setRequest(request);
        requestContext.setResponse(response);
        requestContext.setWebRequest(new ServletWebRequest(request, response));
        BroadleafRequestContext.setBroadleafRequestContext(requestContext);
        CartState.setCart(cart);
        // what Spring MVC's ThymeleafView puts in every page's model: ${@bean} resolves against the application context
        Map<String, Object> model = Map.of(ThymeleafEvaluationContext.THYMELEAF_EVALUATION_CONTEXT_CONTEXT_VARIABLE_NAME,
                new ThymeleafEvaluationContext(context, null));
        return engine.process("page", new SpringWebContext(request, response, servletContext, locale, model, context));
    }
}
