package io.github.cartrecovery.delivery;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates the SMTP server's TLS certificate must chain to: the JVM's default trust store, or a
 * configured one (cartrecovery.delivery.smtp.trust-store, for a private CA). Read once at startup; a
 * missing or unreadable file fails startup with the setting named, never falls back to trusting anything.
 */
final class SmtpTrustStore {

    private SmtpTrustStore() {
    }

    /** Sockets trusting only the given store's certificates; null when no path is set (the JVM's default). */
    static SSLSocketFactory socketFactory(String path, String password, String type) {
        if (path == null || path.trim().isEmpty()) {
            return null;
        }
        File file = new File(path.trim());
        if (!file.isFile()) {
            throw new IllegalArgumentException("cartrecovery.delivery.smtp.trust-store: no such file " + file.getAbsolutePath());
        }
        String storeType = type == null || type.trim().isEmpty() ? KeyStore.getDefaultType() : type.trim();
        try {
            KeyStore store = KeyStore.getInstance(storeType);
            InputStream in = new FileInputStream(file);
            try {
                store.load(in, password == null || password.isEmpty() ? null : password.toCharArray());
            } finally {
                in.close();
            }
            if (store.size() == 0) {
                throw new IllegalArgumentException("cartrecovery.delivery.smtp.trust-store: " + file.getAbsolutePath()
                        + " holds no certificate");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException e) {
            throw new IllegalArgumentException("cartrecovery.delivery.smtp.trust-store: cannot read " + file.getAbsolutePath()
                    + " as a " + storeType + " store (wrong cartrecovery.delivery.smtp.trust-store-password or "
                    + "trust-store-type?): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cartrecovery.delivery.smtp.trust-store: cannot use " + file.getAbsolutePath()
                    + " (cartrecovery.delivery.smtp.trust-store-type " + storeType + "): " + e.getMessage(), e);
        }
    }
}
