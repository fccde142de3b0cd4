/*
 * Cart Recovery: exit-intent email capture (no dependencies, ES5).
 *
 * Loaded only on pages the server chose (cart with items, no known email, not a bot, switched on): the tag carries
 * the offer as JSON in data-exit-intent (endpoint, idle seconds, texts in the page's language). Nothing runs at load
 * but attaching two listeners; the dialog is built the first time it is shown.
 *
 * When: with a mouse, the pointer leaves the window through its top edge (mouseout on the document with clientY <= 0
 * and no relatedTarget). Touch devices (primary pointer coarse) besides: the page is hidden (tab or app switched) after
 * at least idleSeconds without a touch, scroll or key on it; the dialog is shown when the shopper comes back to it. At most once per browser session (sessionStorage key
 * "cr-exit-intent-shown"; without storage, once per page).
 *
 * The dialog: role="dialog", aria-modal, labelled by its title and described by its text; focus moves into it and
 * stays there (Tab and Shift+Tab cycle); Esc, the close button and the backdrop dismiss it and give focus back. It is
 * fixed-position (no layout shift) and never locks scrolling. The address and an unticked consent box are posted once
 * to the capture endpoint as a form (with Broadleaf's csrfToken when the page has one) with fetch, so the endpoint's
 * refusal (4xx) is shown in the dialog; where fetch is missing, with navigator.sendBeacon. As capture.js does,
 * consent=true is sent only when the box is ticked; an unticked box sends no consent at all.
 *
 * Styles: a small stylesheet is put first in <head> with zero-specificity selectors (:where), so any rule of the store
 * wins; classes cr-exit-backdrop, cr-exit-dialog, cr-exit-title, cr-exit-text, cr-exit-form, cr-exit-label,
 * cr-exit-email, cr-exit-consent, cr-exit-submit, cr-exit-close, cr-exit-error, cr-exit-thanks.
 */
(function (window, document) {
    'use strict';

    var script = document.currentScript;
    var STORAGE_KEY = 'cr-exit-intent-shown';
    var FORM_TYPE = 'application/x-www-form-urlencoded;charset=UTF-8';
    var PLAUSIBLE = /^[^\s@"(),:;<>\[\\\]]+@[^\s@"(),:;<>\[\\\]]+\.[^\s@"(),:;<>\[\\\]]{2,}$/;
    var CSS = ':where(.cr-exit-backdrop){position:fixed;inset:0;background:rgba(0,0,0,.45);z-index:2147483000;'
        + 'display:flex;align-items:center;justify-content:center;padding:16px}'
        + ':where(.cr-exit-dialog){position:relative;box-sizing:border-box;width:100%;max-width:420px;background:#fff;'
        + 'color:#222;border-radius:8px;padding:24px;box-shadow:0 8px 32px rgba(0,0,0,.3);font:inherit}'
        + ':where(.cr-exit-title){margin:0 32px 8px 0;font-size:1.25em}'
        + ':where(.cr-exit-text){margin:0 0 16px}'
        + ':where(.cr-exit-label){display:block;margin:0 0 4px}'
        + ':where(.cr-exit-email){display:block;box-sizing:border-box;width:100%;padding:8px;margin:0 0 12px;font:inherit}'
        + ':where(.cr-exit-consent){display:block;margin:0 0 16px}'
        + ':where(.cr-exit-submit){padding:8px 16px;font:inherit;cursor:pointer}'
        + ':where(.cr-exit-close){position:absolute;top:8px;right:8px;width:32px;height:32px;border:0;'
        + 'background:transparent;font-size:24px;line-height:1;cursor:pointer}'
        + ':where(.cr-exit-error){color:#b00020;margin:0 0 12px}'
        + ':where(.cr-exit-thanks){margin:0}';

    var offer = readOffer();
    if (!offer) {
        return;
    }
    var shownThisPage = false;

    function readOffer() {
        if (!script || !script.getAttribute) {
            return null;
        }
        try {
            var parsed = JSON.parse(script.getAttribute('data-exit-intent') || 'null');
            return parsed && parsed.texts && parsed.endpoint ? parsed : null;
        } catch (e) {
            return null;
        }
    }

    function alreadyShown() {
        if (shownThisPage) {
            return true;
        }
        try {
            return window.sessionStorage.getItem(STORAGE_KEY) === '1';
        } catch (e) {
            return false; // no storage: once per page
        }
    }

    function markShown() {
        shownThisPage = true;
        try {
            window.sessionStorage.setItem(STORAGE_KEY, '1');
        } catch (e) {
            /* once per page only */
        }
    }

    function element(tag, className, text) {
        var node = document.createElement(tag);
        if (className) {
            node.className = className;
        }
        if (text != null) {
            node.textContent = text;
        }
        return node;
    }

    function addStyles() {
        if (document.getElementById('cr-exit-styles')) {
            return;
        }
        var style = element('style');
        style.id = 'cr-exit-styles';
        style.textContent = CSS;
        var head = document.head || document.getElementsByTagName('head')[0];
        head.insertBefore(style, head.firstChild); // first: the store's own rules come later and win
    }

    function csrfToken() {
        var field = document.querySelector('input[name="csrfToken"]');
        return field && field.value ? field.value : null;
    }

    function focusables(root) {
        var all = root.querySelectorAll('button, input, [href], [tabindex]:not([tabindex="-1"])');
        var usable = [];
        for (var i = 0; i < all.length; i++) {
            if (!all[i].disabled && all[i].offsetParent !== null) {
                usable.push(all[i]);
            }
        }
        return usable;
    }

    function show() {
        if (alreadyShown() || !document.body) {
            return;
        }
        markShown();
        addStyles();
        var texts = offer.texts;
        var previous = document.activeElement;

        var backdrop = element('div', 'cr-exit-backdrop');
        var dialog = element('div', 'cr-exit-dialog');
        dialog.id = 'cr-exit-dialog';
        dialog.setAttribute('role', 'dialog');
        dialog.setAttribute('aria-modal', 'true');
        dialog.setAttribute('aria-labelledby', 'cr-exit-title');
        dialog.setAttribute('aria-describedby', 'cr-exit-text');
        if (offer.lang) {
            dialog.setAttribute('lang', offer.lang);
        }
        var title = element('h2', 'cr-exit-title', texts.title);
        title.id = 'cr-exit-title';
        var text = element('p', 'cr-exit-text', texts.text);
        text.id = 'cr-exit-text';
        var close = element('button', 'cr-exit-close', '\u00D7');
        close.type = 'button';
        close.setAttribute('aria-label', texts.close);
        close.title = texts.close;

        var form = element('form', 'cr-exit-form');
        form.noValidate = true;
        var label = element('label', 'cr-exit-label', texts.email);
        label.setAttribute('for', 'cr-exit-email');
        var email = element('input', 'cr-exit-email');
        email.type = 'email';
        email.id = 'cr-exit-email';
        email.name = 'email';
        email.autocomplete = 'email';
        email.maxLength = 254;
        email.required = true;
        var consentLabel = element('label', 'cr-exit-consent');
        var consent = element('input');
        consent.type = 'checkbox';
        consent.id = 'cr-exit-consent';
        consent.name = 'consent';
        consentLabel.appendChild(consent);
        consentLabel.appendChild(document.createTextNode(' ' + texts.consent));
        var error = element('p', 'cr-exit-error');
        error.id = 'cr-exit-error';
        error.setAttribute('role', 'alert');
        error.hidden = true;
        var submit = element('button', 'cr-exit-submit', texts.submit);
        submit.type = 'submit';
        form.appendChild(label);
        form.appendChild(email);
        form.appendChild(consentLabel);
        form.appendChild(error);
        form.appendChild(submit);

        dialog.appendChild(close);
        dialog.appendChild(title);
        dialog.appendChild(text);
        dialog.appendChild(form);
        backdrop.appendChild(dialog);

        var sending = false;
        var sentKey = null;

        function dismiss() {
            document.removeEventListener('keydown', onKey, true);
            if (backdrop.parentNode) {
                backdrop.parentNode.removeChild(backdrop);
            }
            if (previous && typeof previous.focus === 'function' && previous !== document.body) {
                try {
                    previous.focus();
                } catch (e) {
                    /* the element is gone */
                }
            }
        }

        function onKey(event) {
            var key = event.key || event.keyCode;
            if (key === 'Escape' || key === 'Esc' || key === 27) {
                event.preventDefault();
                dismiss();
            } else if (key === 'Tab' || key === 9) {
                var items = focusables(dialog);
                if (!items.length) {
                    return;
                }
                var first = items[0];
                var last = items[items.length - 1];
                var active = document.activeElement;
                if (event.shiftKey && (active === first || !dialog.contains(active))) {
                    event.preventDefault();
                    last.focus();
                } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
                    event.preventDefault();
                    first.focus();
                }
            }
        }

        function fail(message, field, rule) {
            sending = false;
            submit.disabled = false;
            error.textContent = message;
            error.setAttribute('data-field', field || '');
            error.setAttribute('data-rule', rule || '');
            error.hidden = false;
            if (field === 'email') {
                email.setAttribute('aria-invalid', 'true');
                email.setAttribute('aria-describedby', 'cr-exit-error');
                email.focus();
            }
        }

        function done() {
            sending = false;
            var thanks = element('p', 'cr-exit-thanks', texts.thanks);
            thanks.id = 'cr-exit-thanks';
            thanks.setAttribute('role', 'status');
            form.parentNode.replaceChild(thanks, form);
            text.hidden = true;
            dialog.setAttribute('aria-describedby', 'cr-exit-thanks');
            close.focus();
        }

        form.addEventListener('submit', function (event) {
            event.preventDefault();
            var address = String(email.value || '').replace(/^\s+|\s+$/g, '');
            if (address.length > 254 || !PLAUSIBLE.test(address)) {
                fail(texts.errorEmail, 'email', 'format');
                return;
            }
            var key = address + (consent.checked ? '\n1' : '\n0');
            if (sending || key === sentKey) {
                return; // never the same address twice, never while one is on its way
            }
            sending = true;
            sentKey = key;
            submit.disabled = true;
            error.hidden = true;
            var body = 'email=' + encodeURIComponent(address) + (consent.checked ? '&consent=true' : '');
            var token = csrfToken();
            if (token) {
                body += '&csrfToken=' + encodeURIComponent(token);
            }
            if (typeof window.fetch === 'function') {
                window.fetch(offer.endpoint, {
                    method: 'POST',
                    body: body,
                    headers: { 'Content-Type': FORM_TYPE },
                    credentials: 'same-origin',
                    keepalive: true
                }).then(function (response) {
                    if (response.ok) {
                        done();
                        return null;
                    }
                    sentKey = null; // refused: the shopper may correct it and send again
                    return response.json().then(function (answer) {
                        fail(answer && answer.field === 'email' ? texts.errorEmail : texts.errorOther,
                            answer && answer.field, answer && answer.rule);
                    }, function () {
                        fail(texts.errorOther, null, null);
                    });
                }, function () {
                    sentKey = null;
                    fail(texts.errorOther, null, null);
                });
            } else if (window.navigator && typeof window.navigator.sendBeacon === 'function') {
                window.navigator.sendBeacon(offer.endpoint, new window.Blob([body], { type: FORM_TYPE }));
                done();
            } else {
                sentKey = null;
                fail(texts.errorOther, null, null);
            }
        });
        close.addEventListener('click', dismiss);
        backdrop.addEventListener('click', function (event) {
            if (event.target === backdrop) {
                dismiss();
            }
        });
        document.addEventListener('keydown', onKey, true);
        document.body.appendChild(backdrop);
        email.focus();
    }

    // A phone or tablet: its primary pointer is a finger. (Not "hover: none": a desktop browser without a mouse, such
    // as headless Chromium, reports that too, with pointer: none.)
    function touchDevice() {
        return typeof window.matchMedia === 'function' && window.matchMedia('(pointer: coarse)').matches;
    }

    document.addEventListener('mouseout', function (event) {
        var to = event.relatedTarget || event.toElement;
        if (!to && event.clientY <= 0) {
            show();
        }
    });
    if (touchDevice()) {
        var idleMs = Math.max(0, Number(offer.idleSeconds) || 0) * 1000;
        var lastActivity = new Date().getTime();
        var armed = false;
        var touched = function () {
            lastActivity = new Date().getTime();
        };
        window.addEventListener('touchstart', touched, { passive: true });
        window.addEventListener('scroll', touched, { passive: true });
        window.addEventListener('keydown', touched);
        document.addEventListener('visibilitychange', function () {
            if (document.visibilityState === 'hidden') {
                armed = new Date().getTime() - lastActivity >= idleMs;
            } else if (document.visibilityState === 'visible' && armed) {
                armed = false;
                show();
            }
        });
    }

    window.CartRecovery = window.CartRecovery || {};
    window.CartRecovery.showExitIntent = show;
}(window, document));
