package org.medpolicy.app.outbound;

import java.net.URI;
import java.net.UnknownHostException;
import java.util.function.Predicate;
import org.medpolicy.security.OutboundAddresses;

/**
 * Which callback URLs a server accepts (PAS subscription endpoints) and which addresses it then
 * connects to. {@code accepts} is the early check, made when the URL is given, so a caller hears of
 * a bad URL at once; {@code reach} is the check that matters, made on every connection by
 * {@link OutboundHttp} against the address actually connected to. Immutable.
 */
public record EndpointRule(Predicate<URI> accepts, OutboundHttp.Reach reach) {

    /** Production: https, to a host that resolves only to global unicast addresses. */
    public static EndpointRule publicHttps() {
        return new EndpointRule(EndpointRule::isPublicHttps, OutboundHttp.Reach.PUBLIC_ONLY);
    }

    /** Tests only: any URL, any address (a listener on loopback). Never used by {@code serve}. */
    public static EndpointRule anyForTests() {
        return new EndpointRule(endpoint -> true, OutboundHttp.Reach.ANY);
    }

    /** https, and a host whose every address is global unicast (as it resolves now). */
    public static boolean isPublicHttps(URI endpoint) {
        if (!"https".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
            return false;
        }
        try {
            return OutboundAddresses.firstRefusedAddress(endpoint.getHost()) == null;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
