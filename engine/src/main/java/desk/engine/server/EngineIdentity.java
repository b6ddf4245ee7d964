package desk.engine.server;

import desk.engine.EngineException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * TLS between a desk and an engine on the network, from the JDK alone. The engine has an identity: a key pair
 * and a self-signed certificate in a PKCS #12 file, made by the JDK's keytool in a folder of its own the first
 * time and kept (so its fingerprint stays the same from one start to the next). A desk trusts exactly the
 * certificate whose SHA-256 fingerprint it was given, as ssh trusts a host key: no certificate authority, no
 * host name to match, and a desk that was given no fingerprint, or another, refuses the engine and says which
 * fingerprint it presented. Both ends speak TLS 1.3 only.
 * <p>
 * Threads: any thread; immutable once made.
 */
final class EngineIdentity {
    /** The key store's name in the identity folder. */
    static final String KEY_STORE = "engine.p12";
    /** The file beside it that holds its password. */
    static final String PASSWORD = "engine.p12.password";
    private static final String ALIAS = "desk-engine";
    private static final String PROTOCOL = "TLSv1.3";
    private static final int KEYTOOL_SECONDS = 60;

    private final KeyStore store;
    private final char[] password;
    private final String fingerprint;

    private EngineIdentity(KeyStore store, char[] password, String fingerprint) {
        this.store = store;
        this.password = password;
        this.fingerprint = fingerprint;
    }

    /** The identity kept in {@code folder}, made there first if it has none. */
    static EngineIdentity open(Path folder) {
        Path file = folder.resolve(KEY_STORE);
        Path passwordFile = folder.resolve(PASSWORD);
        try {
            if (!Files.exists(file)) {
                make(folder, file, passwordFile);
            }
            char[] password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, password);
            }
            X509Certificate certificate = (X509Certificate) store.getCertificate(ALIAS);
            if (certificate == null) {
                throw new EngineException("the engine's identity " + file + " has no certificate \"" + ALIAS
                        + "\": remove the folder " + folder + " to have a new one made");
            }
            return new EngineIdentity(store, password, fingerprint(certificate));
        } catch (IOException | GeneralSecurityException e) {
            throw new EngineException("the engine's identity in " + folder + " cannot be read (" + e.getMessage()
                    + "): remove the folder to have a new one made");
        }
    }

    /** Makes a key pair and its certificate with the JDK's keytool, readable by this user alone. */
    private static void make(Path folder, Path file, Path passwordFile) throws IOException {
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        Files.writeString(passwordFile, HexFormat.of().formatHex(secret) + "\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "3650",
                "-dname", "CN=Desk engine", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass:file", passwordFile.toString())).redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!process.waitFor(KEYTOOL_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                Files.deleteIfExists(file);
                throw new IOException("keytool failed: " + said);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool made the key pair");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** The SHA-256 fingerprint of the engine's certificate: 64 lower-case hex digits. */
    String fingerprint() {
        return fingerprint;
    }

    /** Server sockets that speak TLS 1.3 as this identity. */
    SSLServerSocketFactory serverSockets() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keys.getKeyManagers(), null, new SecureRandom());
            return context.getServerSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new EngineException("TLS cannot be set up with the engine's identity: " + e.getMessage());
        }
    }

    /**
     * Sockets that speak TLS 1.3 and trust only a certificate whose fingerprint is {@code pinned} (null: none);
     * the fingerprint an engine presented is kept in {@code presented}, for the refusal to name.
     */
    static SSLSocketFactory pinnedSockets(String pinned, String[] presented) {
        X509TrustManager trust = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("a desk does not take connections");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (chain == null || chain.length == 0) {
                    throw new CertificateException("the engine presented no certificate");
                }
                String fingerprint = fingerprint(chain[0]);
                presented[0] = fingerprint;
                if (pinned == null || !MessageDigest.isEqual(fingerprint.getBytes(StandardCharsets.US_ASCII),
                        normalised(pinned).getBytes(StandardCharsets.US_ASCII))) {
                    throw new CertificateException("certificate sha256 " + fingerprint + " is not the one pinned");
                }
                chain[0].checkValidity();
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(null, new TrustManager[]{trust}, new SecureRandom());
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new EngineException("TLS cannot be set up: " + e.getMessage());
        }
    }

    /** A fingerprint as given on a command line (upper or lower case, with or without colons), as printed. */
    static String normalised(String fingerprint) {
        return fingerprint.replace(":", "").strip().toLowerCase(Locale.ROOT);
    }

    private static String fingerprint(X509Certificate certificate) throws CertificateException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new CertificateException("the certificate cannot be read: " + e.getMessage());
        }
    }
}
