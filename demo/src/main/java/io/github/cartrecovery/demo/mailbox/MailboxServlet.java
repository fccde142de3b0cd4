package io.github.cartrecovery.demo.mailbox;

import static io.github.cartrecovery.demo.PageText.escape;
import static io.github.cartrecovery.demo.PageText.jsonString;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.Address;
import javax.mail.BodyPart;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.MimeMessage;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.icegreen.greenmail.util.GreenMail;

/**
 * The demo's mailbox: every email the demo's SMTP server received, newest first, and each one rendered.
 * <ul>
 * <li>{@code /mailbox/} the list;</li>
 * <li>{@code /mailbox/message/N} one message: headers, the HTML part in a sandboxed frame (no scripts, no
 *     same-origin access; its links open in the whole window), the text part, and the links it carries;</li>
 * <li>{@code /mailbox/message/N.html} the raw HTML part, served with a CSP sandbox so it can run nothing;</li>
 * <li>{@code /mailbox/messages.json} the list as JSON (recipient, subject, links), for the simulation and tests.</li>
 * </ul>
 * N is a message's place in the order the server received them ({@link #inArrivalOrder}), so a message keeps its
 * number while more arrive; the JSON list is in that order, the page shows it newest first.
 * Everything taken from a message is HTML-escaped before it is written into a page.
 */
public final class MailboxServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Pattern MESSAGE = Pattern.compile("/message/(\\d+)(\\.html|\\.eml)?");
    private static final Pattern LINK = Pattern.compile("https?://[^\\s\"'<>()]+");

    private final transient GreenMail smtp;

    public MailboxServlet(GreenMail smtp) {
        this.smtp = smtp;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        try {
            MimeMessage[] messages = inArrivalOrder(smtp.getReceivedMessages());
            if ("/".equals(path)) {
                list(messages, request, response);
                return;
            }
            if ("/messages.json".equals(path)) {
                json(messages, response);
                return;
            }
            Matcher matcher = MESSAGE.matcher(path);
            if (matcher.matches()) {
                int index = Integer.parseInt(matcher.group(1));
                if (index < messages.length && ".eml".equals(matcher.group(2))) {
                    raw(messages[index], response);
                    return;
                }
                if (index < messages.length) {
                    Mail mail = Mail.read(index, messages[index]);
                    if (matcher.group(2) != null) {
                        htmlPart(mail, response);
                    } else {
                        message(mail, request, response);
                    }
                    return;
                }
            }
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "No such message");
        } catch (MessagingException e) {
            response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "Unreadable message");
        }
    }

    /**
     * GreenMail gives the messages mailbox by mailbox (all of one recipient's, then the next one's): sorted here by the
     * instant each was received, then by Message-ID (unique per message) for two received in the same millisecond.
     */
    static MimeMessage[] inArrivalOrder(MimeMessage[] received) throws MessagingException {
        // the keys are read once (reading a header can throw, which a comparator cannot)
        final long[] at = new long[received.length];
        final String[] id = new String[received.length];
        Integer[] order = new Integer[received.length];
        for (int i = 0; i < received.length; i++) {
            Date date = receivedAt(received[i]);
            at[i] = date == null ? Long.MIN_VALUE : date.getTime();
            id[i] = received[i].getMessageID() == null ? "" : received[i].getMessageID();
            order[i] = i;
        }
        Arrays.sort(order, new Comparator<Integer>() {
            @Override
            public int compare(Integer a, Integer b) {
                int byTime = Long.compare(at[a], at[b]);
                return byTime != 0 ? byTime : id[a].compareTo(id[b]);
            }
        });
        MimeMessage[] sorted = new MimeMessage[received.length];
        for (int i = 0; i < order.length; i++) {
            sorted[i] = received[order[i]];
        }
        return sorted;
    }

    /** When the server received the message (GreenMail records it), else the date its sender wrote. */
    private static Date receivedAt(MimeMessage message) throws MessagingException {
        return message.getReceivedDate() != null ? message.getReceivedDate() : message.getSentDate();
    }

    private void list(MimeMessage[] messages, HttpServletRequest request, HttpServletResponse response)
            throws IOException, MessagingException {
        PrintWriter page = start(response, "Mailbox (" + messages.length + ")");
        page.println("<p class=\"note\">Every email the demo store sends lands here (SMTP on 127.0.0.1:"
                + smtp.getSmtp().getPort() + "). Newest first; this page refreshes every 10 seconds.</p>");
        page.println("<meta http-equiv=\"refresh\" content=\"10\">");
        if (messages.length == 0) {
            page.println("<p class=\"empty\">No email yet. Put something in a cart, enter an email address at checkout, "
                    + "leave, and the first recovery email arrives here in about two minutes.</p>");
        } else {
            page.println("<table class=\"mails\"><thead><tr><th>Received</th><th>To</th><th>Subject</th></tr></thead><tbody>");
            for (int i = messages.length - 1; i >= 0; i--) {
                Mail mail = Mail.read(i, messages[i]);
                String href = request.getContextPath() + "/message/" + i;
                page.println("<tr><td>" + escape(mail.received) + "</td><td>" + escape(mail.to) + "</td><td><a class=\"mail\" href=\""
                        + escape(href) + "\">" + escape(mail.subject) + "</a></td></tr>");
            }
            page.println("</tbody></table>");
        }
        end(page);
    }

    private void message(Mail mail, HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter page = start(response, mail.subject);
        page.println("<p><a href=\"" + escape(request.getContextPath() + "/") + "\">&larr; all messages</a></p>");
        page.println("<table class=\"headers\">");
        header(page, "From", mail.from);
        header(page, "To", mail.to);
        header(page, "Subject", mail.subject);
        header(page, "Received", mail.received);
        page.println("</table>");
        if (!mail.links.isEmpty()) {
            page.println("<h2>Links in this email</h2><ul class=\"links\">");
            for (String link : mail.links) {
                page.println("<li><a class=\"email-link\" href=\"" + escape(link) + "\">" + escape(link) + "</a></li>");
            }
            page.println("</ul>");
        }
        if (mail.html != null) {
            page.println("<h2>HTML</h2>");
            // sandbox: no scripts, no forms, no same-origin access; a click may navigate the whole window.
            page.println("<iframe class=\"html\" title=\"HTML part\" sandbox=\"allow-top-navigation-by-user-activation allow-popups\" src=\""
                    + escape(request.getContextPath() + "/message/" + mail.index + ".html") + "\"></iframe>");
        }
        if (mail.text != null) {
            page.println("<h2>Text</h2><pre class=\"text\">" + escape(mail.text) + "</pre>");
        }
        end(page);
    }

    /** The message as it arrived over SMTP (RFC 822, headers and every part), for a spam filter or a mail client. */
    private static void raw(MimeMessage message, HttpServletResponse response) throws IOException, MessagingException {
        response.setContentType("text/plain; charset=US-ASCII");
        message.writeTo(response.getOutputStream());
    }

    private void htmlPart(Mail mail, HttpServletResponse response) throws IOException {
        if (mail.html == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "This message has no HTML part");
            return;
        }
        response.setContentType("text/html; charset=UTF-8");
        response.setHeader("Content-Security-Policy",
                "sandbox allow-top-navigation-by-user-activation allow-popups; default-src 'none'; img-src * data:; style-src 'unsafe-inline' *");
        // Links open in the whole window, not inside the frame.
        String html = mail.html;
        Matcher head = Pattern.compile("(?i)<head[^>]*>").matcher(html);
        String base = "<base target=\"_top\">";
        html = head.find() ? html.substring(0, head.end()) + base + html.substring(head.end()) : base + html;
        response.getOutputStream().write(html.getBytes(StandardCharsets.UTF_8));
    }

    private void json(MimeMessage[] messages, HttpServletResponse response) throws IOException, MessagingException {
        response.setContentType("application/json; charset=UTF-8");
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < messages.length; i++) {
            Mail mail = Mail.read(i, messages[i]);
            json.append(i == 0 ? "" : ",").append("{\"index\":").append(i)
                    .append(",\"to\":").append(jsonString(mail.to))
                    .append(",\"subject\":").append(jsonString(mail.subject))
                    .append(",\"links\":[");
            for (int l = 0; l < mail.links.size(); l++) {
                json.append(l == 0 ? "" : ",").append(jsonString(mail.links.get(l)));
            }
            json.append("]}");
        }
        json.append("]");
        response.getOutputStream().write(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static PrintWriter start(HttpServletResponse response, String title) throws IOException {
        response.setContentType("text/html; charset=UTF-8");
        PrintWriter page = response.getWriter();
        page.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"UTF-8\">"
                // a phone shows the page at its own width (the recovery emails are opened here from phones too)
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + escape(title)
                + " - Demo mailbox</title><style>"
                + "body{font-family:system-ui,sans-serif;margin:0;color:#222}header{background:#2d3e50;color:#fff;padding:12px 24px}"
                + "header a{color:#fff;margin-right:16px}main{padding:16px 24px;max-width:1000px}"
                + "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:6px;text-align:left}"
                + "iframe.html{width:100%;height:600px;border:1px solid #ccc}pre.text{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:12px}"
                + "main a{overflow-wrap:anywhere}"
                + ".note{color:#555}</style></head><body><header><strong>Demo mailbox</strong> &nbsp; "
                + "<a href=\"/\">Store</a><a href=\"/admin/\">Admin</a><a href=\"/mailbox/\">Mailbox</a><a href=\"/webhooks/\">Webhooks</a><a href=\"/sms-outbox/\">SMS outbox</a></header><main>");
        page.println("<h1>" + escape(title) + "</h1>");
        return page;
    }

    private static void end(PrintWriter page) {
        page.println("</main></body></html>");
    }

    private static void header(PrintWriter page, String name, String value) {
        page.println("<tr><th>" + escape(name) + "</th><td>" + escape(value) + "</td></tr>");
    }

    /** What the mailbox shows of one message. */
    static final class Mail {
        final int index;
        final String from;
        final String to;
        final String subject;
        final String received;
        final String html;
        final String text;
        final List<String> links;

        private Mail(int index, String from, String to, String subject, String received, String html, String text) {
            this.index = index;
            this.from = from;
            this.to = to;
            this.subject = subject;
            this.received = received;
            this.html = html;
            this.text = text;
            this.links = new ArrayList<String>();
            Matcher matcher = LINK.matcher(text != null ? text : html != null ? html.replace("&amp;", "&") : "");
            while (matcher.find()) {
                String link = matcher.group();
                if (!links.contains(link)) {
                    links.add(link);
                }
            }
        }

        static Mail read(int index, MimeMessage message) throws MessagingException {
            String[] parts = new String[2];
            try {
                collect(message, parts);
            } catch (IOException e) {
                throw new MessagingException("unreadable body", e);
            }
            Date date = receivedAt(message);
            SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);
            format.setTimeZone(TimeZone.getTimeZone("UTC"));
            return new Mail(index, addresses(message.getFrom()), addresses(message.getRecipients(Message.RecipientType.TO)),
                    message.getSubject() == null ? "(no subject)" : message.getSubject(),
                    date == null ? "" : format.format(date), parts[0], parts[1]);
        }

        private static void collect(Part part, String[] parts) throws MessagingException, IOException {
            if (part.isMimeType("text/html") && parts[0] == null) {
                parts[0] = String.valueOf(part.getContent());
            } else if (part.isMimeType("text/plain") && parts[1] == null) {
                parts[1] = String.valueOf(part.getContent());
            } else if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart body = multipart.getBodyPart(i);
                    collect(body, parts);
                }
            }
        }

        private static String addresses(Address[] addresses) {
            if (addresses == null) {
                return "";
            }
            StringBuilder out = new StringBuilder();
            for (Address address : addresses) {
                out.append(out.length() == 0 ? "" : ", ").append(address.toString());
            }
            return out.toString();
        }
    }
}
