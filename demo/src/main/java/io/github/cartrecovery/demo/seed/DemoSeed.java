package io.github.cartrecovery.demo.seed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.broadleafcommerce.common.media.domain.Media;
import org.broadleafcommerce.common.media.domain.MediaImpl;
import org.broadleafcommerce.common.money.Money;
import org.broadleafcommerce.core.catalog.domain.Category;
import org.broadleafcommerce.core.catalog.domain.CategoryImpl;
import org.broadleafcommerce.core.catalog.domain.CrossSaleProductImpl;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.catalog.domain.RelatedProduct;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.broadleafcommerce.core.catalog.service.type.ProductType;
import org.broadleafcommerce.core.offer.domain.Offer;
import org.broadleafcommerce.core.offer.domain.OfferCode;
import org.broadleafcommerce.core.offer.service.OfferService;
import org.broadleafcommerce.core.offer.service.type.OfferDeliveryType;
import org.broadleafcommerce.core.offer.service.type.OfferDiscountType;
import org.broadleafcommerce.core.offer.service.type.OfferItemRestrictionRuleType;
import org.broadleafcommerce.core.offer.service.type.OfferType;
import org.broadleafcommerce.profile.core.domain.Country;
import org.broadleafcommerce.profile.core.domain.CountryImpl;
import org.broadleafcommerce.profile.core.service.CountryService;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallbackWithoutResult;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignCondition;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.ConditionType;
import io.github.cartrecovery.campaign.StepCondition;
import io.github.cartrecovery.campaign.StepConditionType;
import io.github.cartrecovery.campaign.TriggerType;
import io.github.cartrecovery.experiment.Experiment;
import io.github.cartrecovery.experiment.ExperimentArm;
import io.github.cartrecovery.experiment.ExperimentStatus;
import io.github.cartrecovery.experiment.Experiments;
import io.github.cartrecovery.experiment.StepVariant;

/**
 * Seeds what the demo needs on its first start, through Broadleaf's and the plugin's own services (the demo
 * data is not part of the plugin's changelog): the admin's roles, menu and demo login, a dozen products with
 * local images and cross-sales (the emails' recommendations), countries for checkout, a welcome coupon, the template offer recovery coupons are issued from,
 * and two fast recovery campaigns (email, SMS and webhook steps). Each part is skipped when it is already there, so a restart keeps everything.
 */
public final class DemoSeed {

    public static final String CAMPAIGN_NAME = "Demo: fast recovery (minutes)";
    /** The Broadleaf offer the campaign's coupon step issues unique codes from. */
    public static final String RECOVERY_OFFER_NAME = "Cart recovery: 10% off";
    public static final String WELCOME_CODE = "WELCOME10";
    /** The coupon rule of step 2: every shopper gets a unique code of the template offer (docs/operating.md, "Coupons"). */
    public static final String COUPON_RULE = "ANY";
    public static final String FIRST_SUBJECT = "You left something in your cart";
    public static final String COUPON_SUBJECT = "Still thinking? Here is 10% off your cart";
    public static final String LAST_SUBJECT = "Last call: your cart is about to expire";
    /** The SMS step's template (plugin-core's cartrecovery/sms/cart-reminder.txt) and its cart total condition, in USD. */
    public static final String SMS_TEMPLATE = "cart-reminder";
    public static final String SMS_MIN_TOTAL = "50";
    /** The campaign for big carts whose first step is a webhook to the store's push service. */
    public static final String PUSH_CAMPAIGN_NAME = "Demo: big carts, push first (minutes)";
    /** The price-drop alert (docs/demo.md): lower a price in the admin, the alert is in the mailbox within a minute. */
    public static final String PRICE_DROP_CAMPAIGN_NAME = "Demo: price drop alert";
    public static final String PRICE_DROP_SUBJECT = "Good news: a price in your cart dropped";
    /** The back-in-stock alert: an item of an abandoned cart marked unavailable in the admin, then available again. */
    public static final String BACK_IN_STOCK_CAMPAIGN_NAME = "Demo: back in stock alert";
    public static final String BACK_IN_STOCK_SUBJECT = "It's back: an item in your cart is in stock again";
    public static final String PUSH_MIN_CART_VALUE = "150";
    public static final String PUSH_TEMPLATE = "push-reminder";
    /** Browse abandonment (docs/triggers.md): a known shopper viewed products, a minute idle, no cart. */
    public static final String BROWSE_CAMPAIGN_NAME = "Demo: browsed, not bought (minutes)";
    public static final String BROWSE_SUBJECT = "Still thinking about these?";
    /** Post-purchase follow-up: recommendations from the cross-sales a minute after the order is seen bought. */
    public static final String FOLLOW_UP_CAMPAIGN_NAME = "Demo: after the order (minutes)";
    public static final String FOLLOW_UP_SUBJECT = "These go well with your order";

    /** The experiment {@code --simulate} runs on {@value #CAMPAIGN_NAME}: a 10% holdout, the control, two first subjects. */
    public static final String EXPERIMENT_NAME = "Demo: first email subject";
    public static final String EXPERIMENT_HOLDOUT_PERCENT = "10";
    public static final String SUBJECT_SAVED = "Your cart is saved: pick up where you left off";
    public static final String SUBJECT_SAVED_DE = "Ihr Warenkorb ist gespeichert";
    public static final String SUBJECT_SAVED_FR = "Votre panier vous attend";
    public static final String SUBJECT_QUESTION = "Still deciding? Your coffee is waiting";

    /** Every product's default category (Broadleaf's product editor requires one). */
    public static final String DEFAULT_CATEGORY_NAME = "Coffee & Tea";

    static final String[][] PRODUCTS = {
        // name, slug, price, description
        {"Morning Blend Coffee", "morning-blend-coffee", "14.50", "Medium roast, notes of cocoa and hazelnut. 500 g whole beans."},
        {"Espresso Beans", "espresso-beans", "24.00", "Dark roast for espresso and moka pots. 1 kg whole beans."},
        {"Sencha Green Tea", "sencha-green-tea", "9.90", "Steamed Japanese green tea, grassy and bright. 100 g loose leaf."},
        {"Earl Grey Tea", "earl-grey-tea", "8.50", "Black tea with bergamot. 100 g loose leaf."},
        {"Stoneware Mug", "stoneware-mug", "12.00", "Hand-glazed, 350 ml, dishwasher safe."},
        {"Pour-over Dripper", "pour-over-dripper", "29.00", "Ceramic cone for one to two cups."},
        {"Glass Teapot", "glass-teapot", "34.00", "800 ml borosilicate glass with a steel infuser."},
        {"French Press", "french-press", "39.00", "One litre, double-walled steel."},
        {"Hand Grinder", "hand-grinder", "59.00", "Conical steel burrs, 40 grind settings."},
        {"Milk Frother", "milk-frother", "19.50", "Battery-powered whisk for foam in seconds."},
        {"Travel Tumbler", "travel-tumbler", "22.00", "450 ml, keeps drinks hot for six hours."},
        {"Cold Brew Kit", "cold-brew-kit", "44.00", "Two-litre jar, mesh filter and a recipe card."},
    };

    private DemoSeed() {
    }

    public static void seed(ApplicationContext store, ApplicationContext admin, PrintStream out) {
        JdbcTemplate jdbc = new JdbcTemplate(store.getBean("crDataSource", DataSource.class));
        seedAdmin(jdbc, admin, out);
        seedLocaleAndCurrency(jdbc);
        seedCustomerRole(jdbc);
        seedCountries(store.getBean("blCountryService", CountryService.class));
        seedCatalog(store.getBean("blCatalogService", CatalogService.class), out);
        seedDefaultCategory(store.getBean("blCatalogService", CatalogService.class), jdbc, out);
        seedCrossSales(store.getBean("blCatalogService", CatalogService.class),
                store.getBean("blTransactionManager", PlatformTransactionManager.class), jdbc, out);
        seedOffers(store.getBean("blOfferService", OfferService.class), out);
        seedCampaign(store.getBean("crCampaignRepository", CampaignRepository.class), jdbc, out);
    }

    /**
     * Broadleaf's admin roles, permissions and menu (its own SQL), and the demo login admin/admin. The plugin's
     * admin changelog (crAdminLiquibase) ran when the admin started, before ROLE_ADMIN existed, so it skipped its
     * grant of the Cart Recovery permissions; it is run again once the roles are seeded (idempotent; otherwise
     * the grant would only happen at the next start and the first start's admin could not open the report).
     */
    static void seedAdmin(JdbcTemplate jdbc, ApplicationContext admin, PrintStream out) {
        Integer roles = jdbc.queryForObject("SELECT COUNT(*) FROM BLC_ADMIN_ROLE", Integer.class);
        if (roles == 0) {
            for (String script : new String[] {"config/bc/sql/load_admin_permissions.sql",
                    "config/bc/sql/load_admin_roles.sql", "config/bc/sql/load_admin_menu.sql"}) {
                for (String statement : statements(script)) {
                    jdbc.update(statement);
                }
            }
            try {
                admin.getBean("crAdminLiquibase", InitializingBean.class).afterPropertiesSet();
            } catch (Exception e) {
                throw new IllegalStateException("the plugin's admin changelog failed after the admin roles were seeded", e);
            }
            out.println("Seeded the admin's roles, permissions and menu");
        }
        Integer users = jdbc.queryForObject("SELECT COUNT(*) FROM BLC_ADMIN_USER WHERE LOGIN = 'admin'", Integer.class);
        if (users == 0) {
            // The admin's password encoder is Broadleaf's default PlaintextPasswordEncoder (password.admin.encoder).
            jdbc.update("INSERT INTO BLC_ADMIN_USER (ADMIN_USER_ID, ACTIVE_STATUS_FLAG, EMAIL, LOGIN, NAME, PASSWORD) "
                    + "VALUES (-1, TRUE, 'admin@demo-store.example', 'admin', 'Demo Administrator', 'admin')");
            jdbc.update("INSERT INTO BLC_ADMIN_USER_ROLE_XREF (ADMIN_USER_ID, ADMIN_ROLE_ID) VALUES (-1, -1)");
            out.println("Seeded the admin login admin / admin");
        }
    }

    /** The store's default locale and currency: Broadleaf gives every new cart the request's currency. */
    static void seedLocaleAndCurrency(JdbcTemplate jdbc) {
        if (jdbc.queryForObject("SELECT COUNT(*) FROM BLC_CURRENCY WHERE CURRENCY_CODE = 'USD'", Integer.class) == 0) {
            jdbc.update("INSERT INTO BLC_CURRENCY (CURRENCY_CODE, DEFAULT_FLAG, FRIENDLY_NAME) VALUES ('USD', TRUE, 'US Dollar')");
        }
        if (jdbc.queryForObject("SELECT COUNT(*) FROM BLC_LOCALE WHERE LOCALE_CODE = 'en_US'", Integer.class) == 0) {
            jdbc.update("INSERT INTO BLC_LOCALE (LOCALE_CODE, DEFAULT_FLAG, FRIENDLY_NAME, CURRENCY_CODE) "
                    + "VALUES ('en_US', TRUE, 'English (US)', 'USD')");
        }
    }

    /** The role Broadleaf gives every registered customer (CustomerServiceImpl.registerCustomer reads it by name). */
    static void seedCustomerRole(JdbcTemplate jdbc) {
        if (jdbc.queryForObject("SELECT COUNT(*) FROM BLC_ROLE WHERE ROLE_NAME = 'ROLE_USER'", Integer.class) == 0) {
            jdbc.update("INSERT INTO BLC_ROLE (ROLE_ID, ROLE_NAME) VALUES (1, 'ROLE_USER')");
        }
    }

    static void seedCountries(CountryService countries) {
        String[][] known = {{"US", "United States"}, {"GB", "United Kingdom"}, {"DE", "Germany"}, {"FR", "France"}};
        for (String[] country : known) {
            if (countries.findCountryByAbbreviation(country[0]) == null) {
                Country created = new CountryImpl();
                created.setAbbreviation(country[0]);
                created.setName(country[1]);
                countries.save(created);
            }
        }
    }

    static void seedCatalog(CatalogService catalog, PrintStream out) {
        if (!catalog.findAllProducts(1, 0).isEmpty()) {
            return;
        }
        Date yesterday = new Date(System.currentTimeMillis() - 86_400_000L);
        for (String[] row : PRODUCTS) {
            Sku sku = catalog.createSku();
            sku.setName(row[0]);
            sku.setDescription(row[3]);
            sku.setRetailPrice(new Money(new BigDecimal(row[2])));
            sku.setActiveStartDate(yesterday);
            sku.setDiscountable(true);
            Media image = new MediaImpl();
            image.setUrl("/img/products/" + row[1] + ".svg");
            image.setAltText(row[0]);
            image.setTitle(row[0]);
            Map<String, Media> media = new HashMap<String, Media>();
            media.put("primary", image);
            sku.setSkuMedia(media);
            Product product = catalog.createProduct(ProductType.PRODUCT);
            // Product's name and dates live on its default sku: attach the sku first.
            product.setDefaultSku(sku);
            sku.setDefaultProduct(product);
            product.setName(row[0]);
            product.setUrl("/products/" + row[1]);
            product.setActiveStartDate(yesterday);
            catalog.saveProduct(product);
        }
        out.println("Seeded " + PRODUCTS.length + " products");
    }

    /**
     * One category, "Coffee & Tea", as every product's default category: Broadleaf's product editor requires a default
     * category, so without one the operator could not save a product in the admin (no price could be lowered there).
     * Also given to the products of a data folder seeded before it existed.
     */
    static void seedDefaultCategory(CatalogService catalog, JdbcTemplate jdbc, PrintStream out) {
        if (jdbc.queryForObject("SELECT COUNT(*) FROM BLC_PRODUCT WHERE DEFAULT_CATEGORY_ID IS NULL", Integer.class) == 0) {
            return;
        }
        List<Category> found = catalog.findCategoriesByName(DEFAULT_CATEGORY_NAME);
        Category category;
        if (found.isEmpty()) {
            Category created = new CategoryImpl();
            created.setName(DEFAULT_CATEGORY_NAME);
            created.setUrl("/coffee-and-tea");
            created.setActiveStartDate(new Date(System.currentTimeMillis() - 86_400_000L));
            category = catalog.saveCategory(created);
        } else {
            category = found.get(0);
        }
        int products = jdbc.update("UPDATE BLC_PRODUCT SET DEFAULT_CATEGORY_ID = ? WHERE DEFAULT_CATEGORY_ID IS NULL", category.getId());
        out.println("Seeded the category '" + DEFAULT_CATEGORY_NAME + "' as the default category of " + products + " products "
                + "(the admin's product editor requires one)");
    }

    /**
     * Broadleaf cross-sale relations between the demo products (product, then what goes with it), so the recovery
     * emails show recommendations (docs/emails.md). Seeded when no cross-sale exists.
     */
    public static final String[][] CROSS_SALES = {
        {"Morning Blend Coffee", "Stoneware Mug", "Pour-over Dripper", "Hand Grinder"},
        {"Espresso Beans", "Hand Grinder", "Milk Frother", "Stoneware Mug"},
        {"Sencha Green Tea", "Glass Teapot", "Stoneware Mug"},
        {"Earl Grey Tea", "Glass Teapot", "Stoneware Mug"},
        {"French Press", "Morning Blend Coffee", "Hand Grinder"},
        {"Cold Brew Kit", "Morning Blend Coffee", "Travel Tumbler"},
    };

    static void seedCrossSales(final CatalogService catalog, PlatformTransactionManager transactions, JdbcTemplate jdbc,
                               PrintStream out) {
        if (jdbc.queryForObject("SELECT COUNT(*) FROM BLC_PRODUCT_CROSS_SALE", Integer.class) > 0) {
            return;
        }
        new TransactionTemplate(transactions).execute(new TransactionCallbackWithoutResult() {
            @Override
            protected void doInTransactionWithoutResult(TransactionStatus status) {
                for (String[] row : CROSS_SALES) {
                    Product product = byName(catalog, row[0]);
                    for (int i = 1; i < row.length; i++) {
                        RelatedProduct relation = new CrossSaleProductImpl();
                        relation.setProduct(product);
                        relation.setRelatedProduct(byName(catalog, row[i]));
                        relation.setSequence(BigDecimal.valueOf(i));
                        product.getCrossSaleProducts().add(relation);
                    }
                    // managed in this transaction: the relations are inserted once at commit (a merge through
                    // saveProduct would insert copies of them as well)
                }
            }
        });
        out.println("Seeded cross-sales for " + CROSS_SALES.length + " products (recommended in recovery emails)");
    }

    private static Product byName(CatalogService catalog, String name) {
        List<Product> found = catalog.findProductsByName(name);
        if (found.isEmpty()) {
            throw new IllegalStateException("Demo seed: no product named '" + name + "' to relate");
        }
        return found.get(0);
    }

    static void seedOffers(OfferService offers, PrintStream out) {
        if (offers.lookupOfferCodeByCode(WELCOME_CODE) == null) {
            Offer welcome = orderOffer(offers, "Welcome: 10% off", new BigDecimal("10"));
            welcome.setMarketingMessage("10% off your order");
            OfferCode code = offers.getOfferCodeDao().create();
            code.setOffer(offers.save(welcome));
            code.setOfferCode(WELCOME_CODE);
            code.setStartDate(welcome.getStartDate());
            offers.saveOfferCode(code);
            out.println("Seeded the coupon " + WELCOME_CODE + " (10% off, try it on the cart page)");
        }
        boolean templateExists = false;
        for (Offer offer : offers.findAllOffers()) {
            templateExists |= RECOVERY_OFFER_NAME.equals(offer.getName());
        }
        if (!templateExists) {
            Offer template = orderOffer(offers, RECOVERY_OFFER_NAME, new BigDecimal("10"));
            template.setMarketingMessage("Your cart, 10% off");
            offers.save(template);
        }
    }

    private static Offer orderOffer(OfferService offers, String name, BigDecimal percent) {
        Offer offer = offers.getOfferDao().create();
        offer.setName(name);
        offer.setType(OfferType.ORDER);
        offer.setDiscountType(OfferDiscountType.PERCENT_OFF);
        offer.setValue(percent);
        offer.setDeliveryType(OfferDeliveryType.CODE);
        offer.setAutomaticallyAdded(false);
        offer.setCombinableWithOtherOffers(true);
        offer.setStartDate(new Date(System.currentTimeMillis() - 86_400_000L));
        offer.setOfferItemQualifierRuleType(OfferItemRestrictionRuleType.NONE);
        offer.setOfferItemTargetRuleType(OfferItemRestrictionRuleType.NONE);
        offer.setPriority(0);
        return offer;
    }

    /**
     * The demo's campaigns, saved through the plugin's repository (so its validator decides, as for the admin's editor):
     * <ul>
     * <li>{@value #CAMPAIGN_NAME} (priority 100, above the plugin's default campaign): issue 16's seed sequence in
     * minutes, email -> email with a unique coupon -> SMS (only with SMS consent and a cart of {@value #SMS_MIN_TOTAL}
     * USD or more; otherwise skipped and the sequence goes on) -> last email, at 1, 3, 4 and 6 minutes after the cart is
     * abandoned.</li>
     * <li>{@value #PUSH_CAMPAIGN_NAME} (priority 110, carts of {@value #PUSH_MIN_CART_VALUE} USD or more): the same
     * sequence, but a minute after abandonment the cart first goes to the store's push service as a signed webhook
     * (the demo's receiver at /webhooks/ shows it), everything after that one minute later.</li>
     * </ul>
     * Each is seeded when no campaign of its name exists.
     */
    static void seedCampaign(CampaignRepository campaigns, JdbcTemplate jdbc, PrintStream out) {
        if (absent(jdbc, CAMPAIGN_NAME)) {
            Campaign campaign = new Campaign(null, CAMPAIGN_NAME, CampaignStatus.ENABLED, 100, Instant.now());
            addSeedSequence(campaign, 1);
            campaigns.save(campaign);
            out.println("Seeded the campaign '" + CAMPAIGN_NAME + "': email, email with a 10% coupon, a text (SMS consent "
                    + "and a cart of " + SMS_MIN_TOTAL + " USD or more), last email, 1, 3, 4 and 6 minutes after a cart is "
                    + "abandoned (abandoned = idle 1 minute)");
        }
        if (absent(jdbc, PUSH_CAMPAIGN_NAME)) {
            Campaign push = new Campaign(null, PUSH_CAMPAIGN_NAME, CampaignStatus.ENABLED, 110, Instant.now())
                    .addCondition(new CampaignCondition(ConditionType.MIN_CART_VALUE, "USD", new BigDecimal(PUSH_MIN_CART_VALUE), null));
            push.addStep(new CampaignStep(null, 1, 1, PUSH_TEMPLATE,
                    Collections.singletonMap(CampaignStep.ANY_LOCALE, "Your cart is waiting")).withChannel("WEBHOOK"));
            addSeedSequence(push, 2);
            campaigns.save(push);
            out.println("Seeded the campaign '" + PUSH_CAMPAIGN_NAME + "': carts of " + PUSH_MIN_CART_VALUE + " USD or more "
                    + "go to the store's push service (a signed webhook, see /webhooks/) first, then the same sequence");
        }
        if (absent(jdbc, PRICE_DROP_CAMPAIGN_NAME)) {
            Campaign priceDrop = new Campaign(null, PRICE_DROP_CAMPAIGN_NAME, CampaignStatus.ENABLED, 100, Instant.now())
                    .triggeredBy(TriggerType.PRICE_DROP);
            priceDrop.addStep(new CampaignStep(null, 1, 0, "price-drop",
                    Collections.singletonMap(CampaignStep.ANY_LOCALE, PRICE_DROP_SUBJECT)));
            campaigns.save(priceDrop);
            out.println("Seeded the campaign '" + PRICE_DROP_CAMPAIGN_NAME + "': an abandoned cart whose item gets at least "
                    + "10% cheaper (lower its price in the admin) gets one alert at once");
        }
        if (absent(jdbc, BACK_IN_STOCK_CAMPAIGN_NAME)) {
            campaigns.save(new Campaign(null, BACK_IN_STOCK_CAMPAIGN_NAME, CampaignStatus.ENABLED, 100, Instant.now())
                    .triggeredBy(TriggerType.BACK_IN_STOCK)
                    .addStep(new CampaignStep(null, 1, 0, "back-in-stock",
                            Collections.singletonMap(CampaignStep.ANY_LOCALE, BACK_IN_STOCK_SUBJECT))));
            out.println("Seeded the campaign '" + BACK_IN_STOCK_CAMPAIGN_NAME + "': an abandoned cart whose item was out of "
                    + "stock (Inventory Type Unavailable in the admin) and is available again gets one alert at once");
        }
        if (absent(jdbc, BROWSE_CAMPAIGN_NAME)) {
            campaigns.save(new Campaign(null, BROWSE_CAMPAIGN_NAME, CampaignStatus.ENABLED, 100, Instant.now())
                    .triggeredBy(TriggerType.BROWSE)
                    .addStep(new CampaignStep(null, 1, 0, "browse-reminder",
                            Collections.singletonMap(CampaignStep.ANY_LOCALE, BROWSE_SUBJECT))));
            out.println("Seeded the campaign '" + BROWSE_CAMPAIGN_NAME + "': a known shopper's viewed products, once they "
                    + "browsed for a minute without adding anything to a cart");
        }
        if (absent(jdbc, FOLLOW_UP_CAMPAIGN_NAME)) {
            campaigns.save(new Campaign(null, FOLLOW_UP_CAMPAIGN_NAME, CampaignStatus.ENABLED, 100, Instant.now())
                    .triggeredBy(TriggerType.POST_PURCHASE)
                    .addStep(new CampaignStep(null, 1, 1, "post-purchase",
                            Collections.singletonMap(CampaignStep.ANY_LOCALE, FOLLOW_UP_SUBJECT))));
            out.println("Seeded the campaign '" + FOLLOW_UP_CAMPAIGN_NAME + "': products that go with an order (its "
                    + "cross-sales), a minute after it was bought");
        }
    }

    /** Email, email with the coupon, SMS with its two send-time conditions, last email, numbered from {@code first}. */
    private static void addSeedSequence(Campaign campaign, int first) {
        campaign.addStep(new CampaignStep(null, first, 1, "gentle-reminder",
                Collections.singletonMap(CampaignStep.ANY_LOCALE, FIRST_SUBJECT)));
        // a unique single-use code of the template offer (delivery type CODE), any shopper, no cap on the discount,
        // valid for the plugin's default hours
        campaign.addStep(new CampaignStep(null, first + 1, 2, "value-reminder",
                Collections.singletonMap(CampaignStep.ANY_LOCALE, COUPON_SUBJECT))
                .withCoupon(COUPON_RULE, RECOVERY_OFFER_NAME, null, null));
        campaign.addStep(new CampaignStep(null, first + 2, 1, SMS_TEMPLATE, Collections.<String, String>emptyMap())
                .withChannel("SMS")
                .addCondition(new StepCondition(StepConditionType.CHANNEL_CONSENT, null, null, "SMS"))
                .addCondition(new StepCondition(StepConditionType.MIN_CART_TOTAL, "USD", new BigDecimal(SMS_MIN_TOTAL), null)));
        campaign.addStep(new CampaignStep(null, first + 3, 2, "last-call",
                Collections.singletonMap(CampaignStep.ANY_LOCALE, LAST_SUBJECT)));
    }

    /**
     * For {@code --simulate}: the experiment {@value #EXPERIMENT_NAME} RUNNING on {@value #CAMPAIGN_NAME}, so the
     * simulated shoppers' carts are assigned to its arms and its report (Cart Recovery > Experiments) has figures: a
     * {@value #EXPERIMENT_HOLDOUT_PERCENT}% holdout, the control (the campaign as it is) and two variants of the first
     * email's subject (one with its German and French subjects). Saved and started through the plugin's
     * {@code Experiments}, as the admin's screen does. Left alone when the campaign already runs an experiment (the
     * operator's own, or this one from an earlier start), or when this one has ended (its history stays).
     */
    public static void seedExperiment(ApplicationContext store, PrintStream out) {
        JdbcTemplate jdbc = new JdbcTemplate(store.getBean("crDataSource", DataSource.class));
        Experiments experiments = store.getBean("crExperiments", Experiments.class);
        long campaignId = jdbc.queryForObject("SELECT ID FROM CR_CAMPAIGN WHERE NAME = ?", Long.class, CAMPAIGN_NAME);
        Experiment running = experiments.running(campaignId);
        if (running != null) {
            out.println("The campaign '" + CAMPAIGN_NAME + "' runs the experiment '" + running.getName() + "'");
            return;
        }
        Experiment existing = null;
        for (Experiment experiment : experiments.forCampaign(campaignId)) {
            if (experiment.getName().equals(EXPERIMENT_NAME)) {
                existing = experiment;
            }
        }
        if (existing != null && existing.getStatus() != ExperimentStatus.DRAFT) {
            out.println("The experiment '" + EXPERIMENT_NAME + "' has " + existing.getStatus().name().toLowerCase()
                    + "; start another one in the admin (Cart Recovery > Experiments) or run demo/run --reset");
            return;
        }
        if (existing == null) {
            existing = experiments.saveDraft(Experiment.draft(campaignId, EXPERIMENT_NAME,
                    new BigDecimal(EXPERIMENT_HOLDOUT_PERCENT),
                    ExperimentArm.control("A", "Control: the campaign's subject", 1),
                    ExperimentArm.variant("B", "Subject: your cart is saved", 1, StepVariant.of(1).withSubject(SUBJECT_SAVED)
                            .withSubject("de", SUBJECT_SAVED_DE).withSubject("fr", SUBJECT_SAVED_FR)),
                    ExperimentArm.variant("C", "Subject: still deciding?", 1, StepVariant.of(1).withSubject(SUBJECT_QUESTION))));
        }
        experiments.start(existing.getId());
        out.println("Started the experiment '" + EXPERIMENT_NAME + "' on '" + CAMPAIGN_NAME + "': a "
                + EXPERIMENT_HOLDOUT_PERCENT + "% holdout, the control and two first-email subjects (report: Cart Recovery > Experiments)");
    }

    private static boolean absent(JdbcTemplate jdbc, String campaignName) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN WHERE NAME = ?", Integer.class, campaignName) == 0;
    }

    /** The statements of one of Broadleaf's SQL files: comments dropped, split at semicolons ending a line. */
    static List<String> statements(String classpathFile) {
        InputStream in = DemoSeed.class.getClassLoader().getResourceAsStream(classpathFile);
        if (in == null) {
            throw new IllegalStateException(classpathFile + " is not on the classpath (it ships in broadleaf-framework)");
        }
        List<String> statements = new ArrayList<String>();
        StringBuilder current = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String trimmed = line.trim();
                if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                    continue;
                }
                current.append(current.length() == 0 ? "" : " ").append(trimmed);
                if (trimmed.endsWith(";")) {
                    statements.add(current.substring(0, current.length() - 1));
                    current.setLength(0);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + classpathFile, e);
        }
        return statements;
    }

}
