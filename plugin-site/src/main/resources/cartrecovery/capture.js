/*
 * Cart Recovery: guest email capture (no dependencies, ES5).
 *
 * Install with one tag on the cart/checkout page (served by the plugin):
 *   <script src="/cart-recovery/capture.js" data-email="#email" data-consent="#marketingOptIn" defer></script>
 * or call it yourself:
 *   CartRecovery.captureEmail({ email: '#email', consent: '#marketingOptIn' });
 *
 * When the email field loses focus (debounced), a plausible address is posted to /cart-recovery/email
 * with navigator.sendBeacon, or fetch(..., {keepalive: true}) where sendBeacon is missing or refuses.
 * consent=true is sent only while the consent box is ticked; an unticked box sends no consent at all.
 * Each address is sent once per consent state. Broadleaf's csrfToken (the hidden field its forms carry)
 * is sent along when the page has one.
 */
(function (window, document) {
    'use strict';

    var DEFAULTS = { endpoint: '/cart-recovery/email', debounceMs: 400 };
    // A deliberately loose check: the server validates properly; this only avoids posting obvious typos.
    var PLAUSIBLE = /^[^\s@"(),:;<>\[\\\]]+@[^\s@"(),:;<>\[\\\]]+\.[^\s@"(),:;<>\[\\\]]{2,}$/;
    var FORM_TYPE = 'application/x-www-form-urlencoded;charset=UTF-8';

    function find(target) {
        if (!target) {
            return null;
        }
        return typeof target === 'string' ? document.querySelector(target) : target;
    }

    function trim(value) {
        return String(value == null ? '' : value).replace(/^\s+|\s+$/g, '');
    }

    function plausible(email) {
        return email.length <= 254 && PLAUSIBLE.test(email);
    }

    function csrfToken(input) {
        var field = (input.form && input.form.querySelector && input.form.querySelector('input[name="csrfToken"]'))
            || document.querySelector('input[name="csrfToken"]');
        return field && field.value ? field.value : null;
    }

    function post(url, body) {
        var queued = false;
        if (window.navigator && typeof window.navigator.sendBeacon === 'function' && typeof window.Blob === 'function') {
            try {
                queued = window.navigator.sendBeacon(url, new window.Blob([body], { type: FORM_TYPE }));
            } catch (e) {
                queued = false;
            }
        }
        if (!queued && typeof window.fetch === 'function') {
            try {
                var pending = window.fetch(url, {
                    method: 'POST',
                    body: body,
                    headers: { 'Content-Type': FORM_TYPE },
                    credentials: 'same-origin',
                    keepalive: true
                });
                if (pending && typeof pending['catch'] === 'function') {
                    pending['catch'](function () { /* capture is best effort */ });
                }
            } catch (e) {
                /* capture is best effort */
            }
        }
    }

    function captureEmail(options) {
        options = options || {};
        var endpoint = options.endpoint || DEFAULTS.endpoint;
        var debounceMs = options.debounceMs == null ? DEFAULTS.debounceMs : options.debounceMs;
        var input = find(options.email);
        var box = find(options.consent);
        if (!input) {
            return null;
        }
        var timer = null;
        var lastSent = null;

        function send() {
            timer = null;
            var email = trim(input.value);
            if (!plausible(email)) {
                return;
            }
            var consent = !!(box && box.checked);
            var key = email + (consent ? '\n1' : '\n0');
            if (key === lastSent) {
                return;
            }
            lastSent = key;
            var body = 'email=' + encodeURIComponent(email);
            if (consent) {
                body += '&consent=true';
            }
            var token = csrfToken(input);
            if (token) {
                body += '&csrfToken=' + encodeURIComponent(token);
            }
            post(endpoint, body);
        }

        function schedule() {
            if (timer !== null) {
                window.clearTimeout(timer);
            }
            timer = window.setTimeout(send, debounceMs);
        }

        input.addEventListener('blur', schedule);
        if (box) {
            // Ticking (or unticking) after the address was sent re-sends it with the new consent state.
            box.addEventListener('change', function () {
                if (lastSent !== null) {
                    schedule();
                }
            });
        }
        return { sendNow: send };
    }

    window.CartRecovery = window.CartRecovery || {};
    window.CartRecovery.captureEmail = captureEmail;

    var script = document.currentScript;
    if (script && script.getAttribute && script.getAttribute('data-email')) {
        var start = function () {
            captureEmail({
                email: script.getAttribute('data-email'),
                consent: script.getAttribute('data-consent'),
                endpoint: script.getAttribute('data-endpoint') || undefined
            });
        };
        if (document.readyState === 'loading') {
            document.addEventListener('DOMContentLoaded', start);
        } else {
            start();
        }
    }
}(window, document));
