package org.medpolicy.app.http;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The one connector the server listens on: plain HTTP, or HTTPS from a PKCS#12 keystore. Either way
 * with the read (idle) timeout of the settings, so a client that stops sending loses its connection
 * instead of holding it, and a {@link SlowClientGuard}, so one that sends a header a byte at a time
 * or opens connection after connection does too. Stateless.
 */
public final class Listeners {

    private Listeners() {
    }

    static ServerConnector connector(Server server, HttpConfiguration http, String host, int port, SecuritySettings settings) {
        ServerConnector connector;
        if (settings.tlsKeystore() == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(settings.tlsKeystore().toAbsolutePath().toString());
            tls.setKeyStoreType("PKCS12");
            tls.setKeyStorePassword(settings.tlsPassword() == null ? "" : new String(settings.tlsPassword()));
            tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(https));
        }
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        connector.addBean(new SlowClientGuard(settings.headerDeadline(), settings.idleTimeout(),
                settings.behindProxy() ? 0 : settings.connectionsPerAddress()));
        return connector;
    }
}
