package org.medpolicy.app.http.fhir;

import io.javalin.http.Context;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.medpolicy.app.http.Gatekeeper;
import org.medpolicy.fhir.FhirInputException;
import org.medpolicy.security.Client;
import org.medpolicy.security.ClientRegistry;

/**
 * Which provider organizations a PAS client may act for: those it is registered for
 * ({@code medpolicy clients add --org-identifier NPI}). A client that names another organization's
 * NPI, in a request's {@code Claim.provider} or a subscription's {@code org-identifier}, is refused
 * with a 403 before anything is stored. That the NPIs of providers are public is exactly why a
 * client cannot be trusted to name its own. Thread-safe.
 */
final class Tenancy {

    private final ClientRegistry clients;

    Tenancy(ClientRegistry clients) {
        this.clients = clients;
    }

    /**
     * True when the caller is registered for every one of {@code npis} (and they are not none);
     * otherwise a 403 OperationOutcome naming {@code where} has been sent. Every one, not any: a
     * provider naming the client's own NPI beside another's would otherwise file as the other.
     */
    boolean actsFor(Context ctx, List<String> npis, String where) {
        String clientId = Gatekeeper.caller(ctx).clientId();
        Client client = clients.find(clientId).orElse(null);
        if (client != null && !npis.isEmpty() && npis.stream().allMatch(client::actsFor)) {
            return true;
        }
        String named = npis.isEmpty() ? "no NPI (" + org.medpolicy.fhir.pas.PasSubscriptions.NPI + ")" : "NPI " + String.join(", ", npis);
        String registered = client == null || client.organizations().isEmpty() ? "no organization"
                : "NPI " + String.join(", ", client.organizations());
        FhirRoutes.send(ctx, 403, new FhirInputException(List.of(new FhirInputException.Issue(where, IssueType.FORBIDDEN,
                "names " + named + ": client '" + clientId + "' is registered to act for " + registered
                        + ". The plan registers the organizations a client acts for (medpolicy clients organizations)."))
        ).toOperationOutcome());
        return false;
    }
}
