// Just enough of a browser for capture.js: elements with listeners, a manual timer queue, and recording
// stand-ins for navigator.sendBeacon, Blob and fetch. Loaded into Rhino by CaptureSnippetTest.
var window = this;
var now = 0;
var timers = [];
var nextTimerId = 1;
var beacons = [];
var fetches = [];
var beaconAnswer = true;

function setTimeout(fn, ms) {
    var id = nextTimerId++;
    timers.push({ id: id, at: now + ms, fn: fn });
    return id;
}

function clearTimeout(id) {
    timers = timers.filter(function (t) { return t.id !== id; });
}

function advance(ms) {
    var until = now + ms;
    for (;;) {
        var due = timers.filter(function (t) { return t.at <= until; });
        if (due.length === 0) {
            break;
        }
        due.sort(function (a, b) { return a.at - b.at; });
        var next = due[0];
        clearTimeout(next.id);
        now = next.at;
        next.fn();
    }
    now = until;
}

function Blob(parts, options) {
    this.text = parts.join('');
    this.type = options && options.type;
}

var navigator = {
    sendBeacon: function (url, data) {
        beacons.push({ url: url, body: data.text, type: data.type });
        return beaconAnswer;
    }
};

function fetch(url, init) {
    fetches.push({ url: url, method: init.method, body: init.body, type: init.headers['Content-Type'],
        keepalive: init.keepalive, credentials: init.credentials });
    return { 'catch': function () { return this; } };
}

function Element(attributes) {
    this.attributes = attributes || {};
    this.listeners = {};
    this.value = '';
    this.checked = false;
    this.form = null;
}
Element.prototype.addEventListener = function (type, fn) {
    (this.listeners[type] = this.listeners[type] || []).push(fn);
};
Element.prototype.fire = function (type) {
    var self = this;
    (this.listeners[type] || []).forEach(function (fn) { fn({ type: type, target: self }); });
};
Element.prototype.getAttribute = function (name) {
    return this.attributes.hasOwnProperty(name) ? this.attributes[name] : null;
};

var elements = {};
var document = {
    readyState: 'complete',
    currentScript: null,
    querySelector: function (selector) { return elements[selector] || null; },
    addEventListener: function () {}
};

var emailInput = elements['#email'] = new Element();
var consentBox = elements['#consent'] = new Element();

function typeAndLeave(value) {
    emailInput.value = value;
    emailInput.fire('blur');
}

function tick(checked) {
    consentBox.checked = checked;
    consentBox.fire('change');
}

var phoneInput = elements['#phone'] = new Element();
var smsBox = elements['#sms'] = new Element();

function typePhoneAndLeave(value) {
    phoneInput.value = value;
    phoneInput.fire('blur');
}

function tickSms(checked) {
    smsBox.checked = checked;
    smsBox.fire('change');
}
