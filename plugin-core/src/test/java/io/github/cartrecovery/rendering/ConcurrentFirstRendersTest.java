package io.github.cartrecovery.rendering;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.coupon.IssuedCoupon;

/**
 * The shared email layout rendered on several threads at once by a renderer whose model OGNL has not met yet, as the
 * render pool does with its first chunk after a start.
 *
 * <p>OGNL 3.0.6 (what Thymeleaf 2.1.3, and so Broadleaf 3.1, brings) keeps the getter it found for each class and
 * property in a plain {@code HashMap} ({@code OgnlRuntime.cacheGetMethod}), read without a lock while another thread
 * adds to it under the lock. A lookup whose {@code containsKey} runs before another thread's insert grows the table
 * and whose {@code get} runs while the entries are being moved finds no getter: OGNL then reports the property as
 * missing (CI once saw "c.showTotal"). In a real run that window is nanoseconds wide, so this test widens it,
 * white-box, and changes nothing else of OGNL, Thymeleaf or the renderer: each round gives OGNL a fresh getter cache,
 * as a new JVM has it, that is 24 getters short of moving about 98,000 entries (a new JVM's grows at its 25th) and
 * whose hits pause briefly on the render threads (the gap between OGNL's two calls); the threads start 2 ms apart,
 * so that the later ones look up getters an earlier one has just added.
 *
 * <p>The rounds run in a child JVM in which {@code OgnlRuntime.getGetMethod} is not compiled, as at first use: the
 * cache is a static final field, whose value compiled code may keep, so swapping it is only seen by the interpreter.
 */
class ConcurrentFirstRendersTest {

    private static final int THREADS = 4;
    private static final int ROUNDS = 60;
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(9);
    /** The table each round's cache starts with; the resize that the template's own lookups cause moves 98,000 entries. */
    private static final int CAPACITY = 1 << 17;
    /** Getters the template may add before the table grows (a new JVM's grows at the 25th, too). */
    private static final int ROOM = 24;
    /** Each render thread starts this much after the one before. */
    private static final long STAGGER_MILLIS = 2;
    /** How long a render thread waits between finding a getter and reading it. */
    private static final long PAUSE_NANOS = 300_000;
    private static final String SUMMARY = "failed renders: ";

    private static final ThreadLocal<Boolean> RENDER_THREAD = ThreadLocal.withInitial(() -> false);

    @Test
    void rendersTheLayoutOnSeveralThreadsWhileOgnlMeetsItsModelForTheFirstTime() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process child = new ProcessBuilder(java, "-Xmx256m",
                "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=exclude,ognl.OgnlRuntime::getGetMethod",
                "-XX:CompileCommand=dontinline,ognl.OgnlRuntime::getGetMethod",
                "-cp", System.getProperty("java.class.path"), Rounds.class.getName())
                .redirectErrorStream(true).start();
        boolean ended = child.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly();
        }
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String summary = output.lines().filter(line -> line.startsWith(Rounds.class.getSimpleName()))
                .findFirst().orElse("");
        System.out.println(summary);
        assertThat(ended).as("the rounds ended within 60 s").isTrue();
        assertThat(summary).as("the child JVM's summary, in:\n" + tail(output)).contains(SUMMARY);
        assertThat(summary).as("renders that failed").contains(SUMMARY + "0 ");
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** The rounds, in the child JVM: prints one summary line. */
    static final class Rounds {

        public static void main(String[] args) throws Exception {
            OgnlGetterCache cache = OgnlGetterCache.find();
            if (cache == null) {
                System.out.println("Rounds: this OGNL keeps its getters elsewhere than in 3.0.6's HashMap; " + SUMMARY
                        + "0 (not run)");
                return;
            }
            EmailLayout layout = new EmailLayout("Tea Shop", "https://cdn.shop.test/logo.png", "#8A2BE2",
                    "5 Harbour Road, Portland", "", "https://cdn.shop.test/placeholder.png", 2);
            String expected = new EmailRenderer(layout).render("gentle-reminder", model()).getHtml();
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            Map<String, Integer> causes = new TreeMap<>();
            int rounds = 0;
            int failed = 0;
            long start = System.nanoTime();
            try {
                while (rounds < ROUNDS && System.nanoTime() - start < BUDGET_NANOS) {
                    cache.startOver(new WideWindowMap());
                    EmailRenderer renderer = new EmailRenderer(layout);
                    CyclicBarrier together = new CyclicBarrier(THREADS);
                    List<Future<String>> renders = new ArrayList<>();
                    for (int t = 0; t < THREADS; t++) {
                        long behind = TimeUnit.MILLISECONDS.toNanos(STAGGER_MILLIS) * t;
                        renders.add(threads.submit(() -> {
                            RENDER_THREAD.set(true);
                            try {
                                together.await();
                                LockSupport.parkNanos(behind);
                                return renderer.render("gentle-reminder", model()).getHtml();
                            } finally {
                                RENDER_THREAD.set(false);
                            }
                        }));
                    }
                    for (Future<String> render : renders) {
                        try {
                            if (!render.get().equals(expected)) {
                                failed++;
                                causes.merge("different HTML", 1, Integer::sum);
                            }
                        } catch (ExecutionException e) {
                            failed++;
                            causes.merge(cause(e), 1, Integer::sum);
                        }
                    }
                    rounds++;
                }
            } finally {
                cache.restore();
                threads.shutdownNow();
            }
            System.out.println("Rounds: " + rounds + " rounds of " + THREADS + " threads in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms on Java "
                    + System.getProperty("java.version") + ", " + SUMMARY + failed + " " + causes);
        }

        /** Every branch of the layout: image and none, link, options, both notes, coupon, recommendations, total. */
        static EmailModel model() {
            List<CartLine> lines = List.of(
                    new CartLine("Enamel Mug", 2, new BigDecimal("10.00"), new BigDecimal("12.50"),
                            "https://cdn.shop.test/mug.png", "/mugs/enamel", 3, 1L, 10L, "Colour: Blue"),
                    new CartLine("Tea Towel", 1, new BigDecimal("5.00"), new BigDecimal("5.00"), null, null));
            List<Recommendation> recommended = List.of(
                    new Recommendation(20L, "Teapot", new BigDecimal("30.00"), "https://cdn.shop.test/pot.png", "/pots/1"),
                    new Recommendation(21L, "Kettle", new BigDecimal("40.00"), null, null));
            RecoveryCart cart = new RecoveryCart("Ada", "en_US", "USD", lines, recommended);
            IssuedCoupon coupon = new IssuedCoupon("CR-AAAA-BBBB-CCCC", "10%", Instant.parse("2030-01-01T00:00:00Z"),
                    "January 1, 2030");
            TrackedLinks links = new TrackedLinks() {
                public String getRestoreUrl() { return "https://shop.test/r/T"; }
                public String getUnsubscribeUrl() { return "https://shop.test/u/T"; }
                public String getOpenPixelUrl() { return "https://shop.test/o/T"; }
                public String click(String target) { return target == null ? null : "https://shop.test/c/T?u=" + target; }
            };
            return new EmailModel("Your cart", cart, links, coupon);
        }

        /** Thymeleaf's message, which names the expression, and the root cause. */
        private static String cause(ExecutionException e) {
            Throwable root = e.getCause();
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return e.getCause().getMessage() + " <- " + root;
        }
    }

    /** A HashMap close to its resize threshold whose hits pause briefly on the render threads. */
    static final class WideWindowMap extends HashMap<Object, Object> {
        WideWindowMap() {
            super(CAPACITY);
            int fill = (int) (CAPACITY * 0.75f) - ROOM;
            for (long i = 0; i < fill; i++) {
                put(i, null); // Long keys: OGNL's own keys are Integers, so none can match
            }
        }

        @Override
        public boolean containsKey(Object key) {
            boolean hit = super.containsKey(key);
            if (hit && RENDER_THREAD.get()) {
                LockSupport.parkNanos(PAUSE_NANOS);
            }
            return hit;
        }
    }

    /**
     * OGNL 3.0.6's getter cache, swapped for a fresh map and put back afterwards. The field is static final, so this
     * goes through sun.misc.Unsafe (jdk.unsupported); null when this OGNL has no such HashMap.
     */
    static final class OgnlGetterCache {
        private final Object unsafe;
        private final Object base;
        private final long offset;
        private final Object original;
        private final Method put;

        private OgnlGetterCache(Object unsafe, Object base, long offset, Object original, Method put) {
            this.unsafe = unsafe;
            this.base = base;
            this.offset = offset;
            this.original = original;
            this.put = put;
        }

        static OgnlGetterCache find() throws Exception {
            Field field;
            try {
                field = Class.forName("ognl.OgnlRuntime").getDeclaredField("cacheGetMethod");
            } catch (NoSuchFieldException e) {
                return null;
            }
            field.setAccessible(true);
            Object original = field.get(null);
            if (!(original instanceof HashMap)) {
                return null;
            }
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            Object unsafe = theUnsafe.get(null);
            Object base = unsafeClass.getMethod("staticFieldBase", Field.class).invoke(unsafe, field);
            long offset = (Long) unsafeClass.getMethod("staticFieldOffset", Field.class).invoke(unsafe, field);
            Method put = unsafeClass.getMethod("putObject", Object.class, long.class, Object.class);
            return new OgnlGetterCache(unsafe, base, offset, original, put);
        }

        void startOver(Map<Object, Object> fresh) throws Exception {
            put.invoke(unsafe, base, offset, fresh);
        }

        void restore() throws Exception {
            put.invoke(unsafe, base, offset, original);
        }
    }
}
