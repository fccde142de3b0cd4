package io.github.cartrecovery.campaign;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;

import io.github.cartrecovery.channel.Channel;

/**
 * The channels a campaign step may name (bean crStoreChannels), as a live collection of names: the names of the
 * {@link Channel} beans in the context, read on every use (so a channel a store declares is offered and accepted
 * without further configuration), or, while the context declares no Channel bean at all, the configured list
 * ({@code cartrecovery.campaigns.channels}). Thread-safe.
 */
public class StoreChannels extends AbstractCollection<String> implements ApplicationContextAware {

    /** The plugin's own channels: what a validator without a context accepts, and the configured list's default. */
    public static final List<String> KNOWN = Collections.unmodifiableList(Arrays.asList("EMAIL", "SMS", "WEBHOOK"));

    private final List<String> configured;
    private volatile ListableBeanFactory beans;

    /** @param configured comma-separated channel names, used while no Channel bean exists; blank = {@link #KNOWN} */
    public StoreChannels(String configured) {
        List<String> names = new ArrayList<String>();
        if (configured != null) {
            for (String name : configured.split(",")) {
                if (!name.trim().isEmpty()) {
                    String upper = name.trim().toUpperCase(Locale.ROOT);
                    if (!upper.matches(CampaignValidator.CHANNEL_NAME)) {
                        throw new IllegalArgumentException("cartrecovery.campaigns.channels: '" + name.trim()
                                + "' is no channel name (upper case letters, digits and '_', at most 16)");
                    }
                    names.add(upper);
                }
            }
        }
        this.configured = names.isEmpty() ? KNOWN : Collections.unmodifiableList(names);
    }

    @Override
    public void setApplicationContext(ApplicationContext context) throws BeansException {
        this.beans = context;
    }

    /** The names: the plugin's own channels first (EMAIL, SMS, WEBHOOK), then a store's in alphabetical order. */
    public List<String> names() {
        ListableBeanFactory context = beans;
        if (context != null) {
            Set<String> found = new LinkedHashSet<String>();
            for (Object channel : context.getBeansOfType(Channel.class).values()) {
                found.add(((Channel<?>) channel).name());
            }
            if (!found.isEmpty()) {
                // a stable order whatever order the beans were declared in: the plugin's own channels, then the rest
                List<String> ordered = new ArrayList<String>();
                for (String known : KNOWN) {
                    if (found.remove(known)) {
                        ordered.add(known);
                    }
                }
                List<String> others = new ArrayList<String>(found);
                Collections.sort(others);
                ordered.addAll(others);
                return Collections.unmodifiableList(ordered);
            }
        }
        return configured;
    }

    @Override
    public Iterator<String> iterator() {
        return names().iterator();
    }

    @Override
    public int size() {
        return names().size();
    }

    @Override
    public boolean contains(Object name) {
        return names().contains(name);
    }
}
