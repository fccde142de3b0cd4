/*
 * Cart Recovery: guest email and phone capture (no dependencies, ES5).
 *
 * Install with one tag on the cart/checkout page (served by the plugin):
 *   <script src="/cart-recovery/capture.js" data-email="#email" data-consent="#marketingOptIn"
 *           data-phone="#phone" data-sms-consent="#smsOptIn" defer="defer"></script>
 * or call it yourself:
 *   CartRecovery.captureEmail({ email: '#email', consent: '#marketingOptIn', phone: '#phone', smsConsent: '#smsOptIn' });
 * (every field is optional; the phone and its SMS box work without an email field and the other way round)
 *
 * When the email field loses focus (debounced), a plausible address is posted to /cart-recovery/email
 * with navigator.sendBeacon, or fetch(..., {keepalive: true}) where sendBeacon is missing or refuses.
 * consent=true is sent only while the consent box is ticked; an unticked box sends no consent at all.
 * Each address is sent once per consent state. Broadleaf's csrfToken (the hidden field its forms carry)
 * is sent along when the page has one.
 *
 * The phone number goes in a request of its own (so a number the server refuses never costs the address), when
 * its field loses focus or its SMS box changes: smsConsent=true while the box is ticked; once it was sent ticked,
 * unticking sends smsConsent=false (a withdrawal, also when the number was cleared); a box never ticked sends no
 * smsConsent at all. Email consent and SMS consent never travel together.
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

    // Digits, spaces and + - . ( ) /, at least six digits: the server reads the number properly.
    var PLAUSIBLE_PHONE = /^\+?[0-9\s().\/\-]{6,32}$/;

    // What a pasted or IME-typed number carries besides what the server reads: invisible marks (the bidirectional
    // marks phones and chat apps put around a copied number, zero-width spaces) are dropped, and full-width forms
    // (an East Asian input method's digits, plus, spaces) become their ASCII ones. The server does the same.
    function cleanPhone(value) {
        return String(value == null ? '' : value)
            .replace(/[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g, '')
            .replace(/[\uFF01-\uFF5E]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
            .replace(/\u3000/g, ' ');
    }

    function plausiblePhone(phone) {
        return phone.length <= 32 && PLAUSIBLE_PHONE.test(phone) && phone.replace(/[^0-9]/g, '').length >= 6;
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

    function withToken(body, input) {
        var token = csrfToken(input);
        return token ? body + '&csrfToken=' + encodeURIComponent(token) : body;
    }

    function debounced(send, debounceMs) {
        var timer = null;
        return function () {
            if (timer !== null) {
                window.clearTimeout(timer);
            }
            timer = window.setTimeout(function () {
                timer = null;
                send();
            }, debounceMs);
        };
    }

    function watchEmail(input, box, endpoint, debounceMs) {
        var lastSent = null;

        function send() {
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
            post(endpoint, withToken(body, input));
        }

        var schedule = debounced(send, debounceMs);
        input.addEventListener('blur', schedule);
        if (box) {
            // Ticking (or unticking) after the address was sent re-sends it with the new consent state.
            box.addEventListener('change', function () {
                if (lastSent !== null) {
                    schedule();
                }
            });
        }
        return send;
    }

    function watchPhone(input, box, endpoint, debounceMs) {
        var lastSent = null;
        var stated = false; // once consent was sent ticked, the box's state is always sent

        function send() {
            var phone = trim(cleanPhone(input.value));
            var ticked = !!(box && box.checked);
            var state = ticked ? 'true' : (stated ? 'false' : null);
            var body;
            if (plausiblePhone(phone)) {
                body = 'phone=' + encodeURIComponent(phone) + (state ? '&smsConsent=' + state : '');
            } else if (state === 'false') {
                body = 'smsConsent=false'; // withdrawn after the number was cleared: stop texts to the cart's number
            } else {
                return;
            }
            if (body === lastSent) {
                return;
            }
            lastSent = body;
            stated = stated || ticked;
            post(endpoint, withToken(body, input));
        }

        var schedule = debounced(send, debounceMs);
        input.addEventListener('blur', schedule);
        if (box) {
            box.addEventListener('change', schedule);
        }
        return send;
    }

    function captureEmail(options) {
        options = options || {};
        var endpoint = options.endpoint || DEFAULTS.endpoint;
        var debounceMs = options.debounceMs == null ? DEFAULTS.debounceMs : options.debounceMs;
        var emailInput = find(options.email);
        var phoneInput = find(options.phone);
        if (!emailInput && !phoneInput) {
            return null;
        }
        var none = function () {};
        return {
            sendNow: emailInput ? watchEmail(emailInput, find(options.consent), endpoint, debounceMs) : none,
            sendPhoneNow: phoneInput ? watchPhone(phoneInput, find(options.smsConsent), endpoint, debounceMs) : none
        };
    }

    window.CartRecovery = window.CartRecovery || {};
    window.CartRecovery.captureEmail = captureEmail;

    var script = document.currentScript;
    if (script && script.getAttribute && (script.getAttribute('data-email') || script.getAttribute('data-phone'))) {
        var start = function () {
            captureEmail({
                email: script.getAttribute('data-email'),
                consent: script.getAttribute('data-consent'),
                phone: script.getAttribute('data-phone'),
                smsConsent: script.getAttribute('data-sms-consent'),
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
