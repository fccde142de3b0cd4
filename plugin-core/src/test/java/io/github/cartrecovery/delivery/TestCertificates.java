package io.github.cartrecovery.delivery;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made with the JDK's keytool in a directory: a test CA, server key stores signed
 * by it for chosen host names, and a trust store holding only that CA. All stores are PKCS12 with password
 * {@link #PASSWORD}.
 */
final class TestCertificates {

    static final String PASSWORD = "changeit";

    private final Path dir;
    private final String caName;

    /** A new CA (EC key) named {@code caName}, kept in {@code dir}. */
    TestCertificates(Path dir, String caName) throws IOException {
        this.dir = dir;
        this.caName = caName;
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + caName,
                "-ext", "bc:c", "-validity", "3", "-keystore", store(caName), "-storetype", "PKCS12",
                "-storepass", PASSWORD);
    }

    /** A key store with a server key and a certificate for {@code hostName}, signed by this CA (chain included). */
    Path serverKeyStore(String hostName) throws Exception {
        String name = caName + "-" + hostName;
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + hostName,
                "-validity", "3", "-keystore", store(name), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-certreq", "-alias", "server", "-keystore", store(name), "-storepass", PASSWORD, "-file", file(name + ".csr"));
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", store(caName), "-storepass", PASSWORD,
                "-infile", file(name + ".csr"), "-outfile", file(name + ".pem"), "-validity", "3",
                "-ext", "san=dns:" + hostName, "-ext", "eku=serverAuth");
        // the signed certificate and the CA's replace the self-signed one (in process: each keytool run is a JVM)
        KeyStore server = load(name);
        Certificate signed;
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".pem"))) {
            signed = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        server.setKeyEntry("server", server.getKey("server", PASSWORD.toCharArray()), PASSWORD.toCharArray(),
                new Certificate[] {signed, caCertificate()});
        return save(server, name);
    }

    /** A trust store holding only this CA's certificate, as an operator adding a private CA makes it. */
    Path trustStore() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("private-ca", caCertificate());
        return save(trust, caName + "-trust");
    }

    private Certificate caCertificate() throws Exception {
        return load(caName).getCertificate("ca");
    }

    private KeyStore load(String name) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private Path save(KeyStore store, String name) throws Exception {
        Path file = dir.resolve(name + ".p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    private String store(String name) {
        return file(name + ".p12");
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private static void keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "keytool");
        command.addAll(Arrays.asList("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC")); // starts faster
        command.addAll(Arrays.asList(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool timed out: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("keytool failed (" + process.exitValue() + "): " + command + "\n" + output);
        }
    }
}
