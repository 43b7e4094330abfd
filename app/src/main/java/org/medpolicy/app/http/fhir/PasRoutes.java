package org.medpolicy.app.http.fhir;

import org.medpolicy.app.http.RouteTable;
import org.medpolicy.app.http.Access;

import org.medpolicy.app.http.RequestBodies;
import org.medpolicy.app.http.cases.CaseComponents;
import org.medpolicy.app.http.cases.CaseRefusals;
import org.medpolicy.app.http.cases.CaseRoutes;

import org.medpolicy.core.application.Channel;
import org.medpolicy.core.application.DeterminationService;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.medpolicy.core.cases.CaseRefusal;
import org.medpolicy.core.cases.CaseService;
import org.medpolicy.core.cases.CaseState;
import org.medpolicy.core.cases.PriorAuthorizationRequest;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.json.Utf8Json;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.reconsideration.NewReconsideration;
import org.medpolicy.core.reconsideration.Reconsideration;
import org.medpolicy.core.reconsideration.RequestedBy;
import org.medpolicy.core.request.CoverageRequest;
import org.medpolicy.fhir.Fhir;
import org.medpolicy.fhir.FhirInputException;
import org.medpolicy.fhir.pas.PasRequestReader;
import org.medpolicy.fhir.pas.PasResponses;
import org.medpolicy.fhir.pas.PasSubscriptions;
import org.medpolicy.app.http.Gatekeeper;

/**
 * Da Vinci PAS: {@code POST /fhir/Claim/$submit} files an organization-determination case from a
 * request Bundle and answers with the response Bundle; {@code POST /fhir/Claim/$inquire} answers
 * with the case as it stands now (a Parameters whose {@code return} holds the response Bundle),
 * its items under reconsideration as the reconsideration stands. An update of a denied request
 * asks for a reconsideration.
 * A Bundle that cannot be used is a 400 OperationOutcome naming every problem, and nothing is
 * stored.
 *
 * <p>A request belongs to the client that submitted it, for a provider organization that client is
 * registered for ({@link Tenancy}): only that client can inquire about, update or cancel it, and to
 * any other client it answers as a request that does not exist. A claim identifier belongs to one
 * member of that client: the same Claim again is answered as it stands, another request of that
 * member under it is a new one, and another member's is a 400.
 *
 * <p>A little over 300 lines because a submission's outcomes (new, retry, update, cancel, appeal)
 * share those identifier rules and the lock that keeps them; apart, the rules would be stated in
 * several places. Thread-safe.
 */
public final class PasRoutes {

    private final PasRequestReader pas = new PasRequestReader();
    private final CaseComponents cases;
    private final DeterminationService determinations;
    private final Tenancy tenancy;
    /** Locks striping submissions by client and claim identifier ({@link #submitNew}). */
    private final Object[] claimLocks = java.util.stream.Stream.generate(Object::new).limit(256).toArray();

    public PasRoutes(CaseComponents cases, DeterminationService determinations, org.medpolicy.security.ClientRegistry clients) {
        this.cases = cases;
        this.determinations = determinations;
        this.tenancy = new Tenancy(clients);
    }

    /** PAS's routes. */
    public void addTo(RouteTable table) {
        table.post("/fhir/Claim/$submit", Access.scope("system/Claim.write").costing(Access.FHIR_WRITE), FhirRoutes.fhir("PAS",
                        "Submit a prior-authorization request Bundle (or an update or cancellation of one)")
                        .accepts(FhirRoutes.FHIR_JSON, "FhirResource").errors(400, null, 403, "the provider is not an organization this client is registered for", 422, null),
                        this::submit)
                .post("/fhir/Claim/$inquire", Access.scope("system/ClaimResponse.read").costing(Access.HEAVY_READ), FhirRoutes.fhir("PAS",
                        "The request as it stands now (a Parameters holding the response Bundle)").accepts(FhirRoutes.FHIR_JSON, "FhirResource")
                        .errors(400, null, 404, null), this::inquire);
    }

    void submit(Context ctx) throws IOException, RequestBodies.FhirRefusal {
        PasRequestReader.Submission submission = pas.read(FhirRoutes.body(ctx), determinations.reader());
        if (!tenancy.actsFor(ctx, PasSubscriptions.providerNpis(submission.bundle()), "Claim.provider")) {
            return;
        }
        String client = Gatekeeper.caller(ctx).clientId();
        CoverageRequest request;
        try {
            request = submission.request().build();
        } catch (ProblemException e) {
            // The contract's field names, said as the parts of the Claim they were read from.
            FhirRoutes.send(ctx, e.kind() == ProblemException.Kind.UNDECIDABLE ? 422 : 400, new FhirInputException(e.errors().stream()
                    .map(error -> new FhirInputException.Issue("Claim (" + error.field() + ")", IssueType.INVALID, error.message()))
                    .toList()).toOperationOutcome());
            return;
        }
        // One submission (or update) of a claim identifier at a time: the check that the identifier
        // is free and its save after the case changes must not interleave with another's.
        synchronized (claimLocks[Math.floorMod((client + "\n" + submission.claimKey()).hashCode(), claimLocks.length)]) {
            boolean priorKnown = submission.priorClaimKey() != null
                    && cases.submissions().find(client, submission.priorClaimKey(), submission.patientKey()).isPresent();
            // An update whose prior Claim this plan never received, but which carries that Claim in its
            // Bundle, is the first this plan hears of the request: it is decided as a new one.
            if (submission.priorClaimKey() != null && (priorKnown || !submission.priorCarried())) {
                update(ctx, client, submission, request);
            } else {
                submitNew(ctx, client, submission, request);
            }
        }
    }

    /**
     * A Claim that is not an update. Sent again as it was (a retry after a lost answer), it is
     * answered with that request's state now, and nothing new is stored, unless that request was
     * withdrawn. With the identifier of
     * an earlier request of the same member but asking for something else, it is a new request,
     * and the identifier names the newest from then on: the PAS test kit sends its approval,
     * denial and pended examples under one identifier and expects each decided.
     */
    private void submitNew(Context ctx, String client, PasRequestReader.Submission submission, CoverageRequest request) throws IOException {
        PriorAuthorizationRequest earlier = cases.submissions().find(client, submission.claimKey(), submission.patientKey()).orElse(null);
        ReviewCase current = earlier == null ? null : cases.service().load(earlier.caseId());
        if (current != null && current.state() != CaseState.WITHDRAWN && isTheSameClaim(earlier, submission)) {
            FhirRoutes.send(ctx, 200, PasResponses.response(submission.bundle(), current, submission.itemSequences(),
                    current.recommendation() == null ? null : ContractJson.mapper().valueToTree(current.recommendation()),
                    appealsOf(current.caseId())));
            return;
        }
        if (earlier == null && usedForAnotherPatient(client, submission)) {
            refuseReusedIdentifier(ctx);
            return;
        }
        CaseService.NewCase incoming = new CaseService.NewCase(Channel.PAS, request, submission.requester(), submission.expedited(), false);
        ReviewCase created;
        try {
            created = cases.service().create(incoming, CaseRoutes.actor(ctx));
        } catch (ProblemException undecidable) {
            if (undecidable.kind() != ProblemException.Kind.UNDECIDABLE) {
                throw undecidable;
            }
            // No policy of the plan decides it: a business case, pended for a person to decide, not an error.
            created = cases.service().createForReview(incoming, CaseRoutes.actor(ctx), undecidable.getMessage());
        }
        cases.submissions().save(new PriorAuthorizationRequest(created.caseId(), client, submission.claimKey(), submission.patientKey(),
                submission.itemSequences(), Fhir.toJson(submission.bundle()), CaseRoutes.actor(ctx).name(), Instant.now()));
        Bundle response = PasResponses.response(submission.bundle(), created, submission.itemSequences(),
                created.recommendation() == null ? null : ContractJson.mapper().valueToTree(created.recommendation()));
        if (created.recommendation() == null) {
            FhirRoutes.send(ctx, 200, response);   // nothing was decided, so there is no determination to keep it beside
        } else {
            sendRecorded(ctx, created, response);
        }
    }

    /**
     * Sends the response Bundle of a request the engine just decided, after keeping it, byte for
     * byte, beside that determination in the decision log.
     */
    private void sendRecorded(Context ctx, ReviewCase decided, Bundle response) throws IOException {
        String determinationId = decided.recommendation().determinationId();
        Utf8Json body = Utf8Json.of(Fhir.toJson(response));
        determinations.recordSent(Channel.PAS, determinationId, FhirRoutes.FHIR_JSON, body);
        ctx.status(200).contentType(FhirRoutes.FHIR_JSON).result(body.toByteArray());
    }

    /**
     * A Claim that updates an earlier one ({@code related.claim}, relationship prior): the whole
     * request cancelled (certification type 3) withdraws the case; otherwise the engine decides the
     * updated request again. Only an undecided case can change; the update's own identifier then
     * names the case in {@code $inquire} too.
     */
    private void update(Context ctx, String client, PasRequestReader.Submission submission, CoverageRequest request) throws IOException {
        PriorAuthorizationRequest prior = cases.submissions().find(client, submission.priorClaimKey(), submission.patientKey()).orElse(null);
        if (prior == null) {
            FhirRoutes.send(ctx, 400, new FhirInputException("Claim.related.claim",
                    "names no earlier request of this member: " + submission.priorClaimKey()).toOperationOutcome());
            return;
        }
        if (!submission.claimKey().equals(prior.claimKey()) && usedForAnotherPatient(client, submission)) {
            refuseReusedIdentifier(ctx);
            return;
        }
        ReviewCase decided = cases.service().load(prior.caseId());
        if (!submission.cancel() && decided.decision() != null && decided.decision().outcome().isAdverse()) {
            appeal(ctx, submission, prior, decided);
            return;
        }
        ReviewCase changed;
        try {
            changed = submission.cancel()
                    ? cases.service().withdraw(prior.caseId(), CaseRoutes.actor(ctx), "cancelled by the provider (PAS certification type 3)")
                    : cases.service().reconsider(prior.caseId(), CaseRoutes.actor(ctx), Channel.PAS, request,
                    "updated by the provider (PAS claim update)");
        } catch (CaseRefusal refusal) {
            refuseUpdate(ctx, refusal);
            return;
        }
        keepUpdateIdentifier(ctx, submission, prior);
        Bundle response = PasResponses.response(submission.bundle(), changed, submission.itemSequences(),
                ContractJson.mapper().valueToTree(changed.recommendation()));
        if (submission.cancel()) {
            FhirRoutes.send(ctx, 200, response);   // no new determination: the withdrawal is the case's
        } else {
            sendRecorded(ctx, changed, response);
        }
    }

    /**
     * An update of a denied request: the provider asks the plan to reconsider on the member's
     * behalf (a physician may), for every denied item, expedited when the update is urgent. The
     * answer gives each contested item as pended while it is reviewed.
     */
    private void appeal(Context ctx, PasRequestReader.Submission submission, PriorAuthorizationRequest prior, ReviewCase decided)
            throws IOException {
        Reconsideration filed;
        try {
            filed = cases.reconsiderations().file(decided.caseId(), new NewReconsideration(RequestedBy.PHYSICIAN,
                    submission.requester().name(), null, submission.expedited(),
                    "update of the denied request by the provider (PAS claim update)", null, null, java.util.Map.of()),
                    CaseRoutes.actor(ctx), Channel.PAS);
        } catch (CaseRefusal refusal) {
            refuseUpdate(ctx, refusal);
            return;
        }
        keepUpdateIdentifier(ctx, submission, prior);
        Bundle response = PasResponses.response(submission.bundle(), decided, submission.itemSequences(),
                ContractJson.mapper().valueToTree(decided.recommendation()), filed);
        Utf8Json body = Utf8Json.of(Fhir.toJson(response));
        determinations.recordSent(Channel.PAS, filed.recommendation().determinationId(), FhirRoutes.FHIR_JSON, body);
        ctx.status(200).contentType(FhirRoutes.FHIR_JSON).result(body.toByteArray());
    }

    /**
     * Whether {@code submission}'s Claim is the one {@code earlier} received, apart from its id,
     * meta, narrative and creation time: a retry. Compared as Claims, not as what the engine reads
     * of them: quantities, each item's dates and sequences count, though no rule decides on them.
     */
    private static boolean isTheSameClaim(PriorAuthorizationRequest earlier, PasRequestReader.Submission submission) {
        try {
            Bundle stored = Fhir.parse(ContractJson.mapper().readTree(earlier.requestBundleJson()), Bundle.class, "$");
            return comparable(stored).equalsDeep(comparable(submission.bundle()));
        } catch (RuntimeException | IOException unreadable) {
            return false;   // a Bundle that no longer reads is not the same request
        }
    }

    private static Claim comparable(Bundle bundle) {
        Claim claim = ((Claim) bundle.getEntryFirstRep().getResource()).copy();
        claim.setId((String) null);
        claim.setMeta(null);
        claim.setText(null);
        claim.setCreated(null);
        return claim;
    }

    /** Whether the client gave the submission's claim identifier to a request of another patient only. */
    private boolean usedForAnotherPatient(String client, PasRequestReader.Submission submission) {
        return cases.submissions().isClaimed(client, submission.claimKey())
                && cases.submissions().find(client, submission.claimKey(), submission.patientKey()).isEmpty();
    }

    /** A claim identifier this client already gave another patient's request: a 400, before anything changes. */
    private static void refuseReusedIdentifier(Context ctx) {
        FhirRoutes.send(ctx, 400, new FhirInputException("Claim.identifier", "this client already used this claim identifier "
                + "for another patient's request; each request needs its own").toOperationOutcome());
    }

    /** A refused update: an OperationOutcome; the PAS kit expects a refused update of a decided request as a 400. */
    private static void refuseUpdate(Context ctx, CaseRefusal refusal) {
        FhirRoutes.send(ctx, refusal.reason() == CaseRefusal.Reason.CONFLICT ? 400 : CaseRefusals.status(refusal),
                new FhirInputException(List.of(new FhirInputException.Issue("Claim.related", IssueType.BUSINESSRULE,
                        refusal.getMessage()))).toOperationOutcome());
    }

    /** The update's own identifier names the case in {@code $inquire} too. */
    private void keepUpdateIdentifier(Context ctx, PasRequestReader.Submission submission, PriorAuthorizationRequest prior) {
        if (!submission.claimKey().equals(prior.claimKey()) && !cases.submissions().isClaimed(prior.clientId(), submission.claimKey())) {
            try {
                cases.submissions().save(new PriorAuthorizationRequest(prior.caseId(), prior.clientId(), submission.claimKey(),
                        submission.patientKey(), submission.itemSequences(), Fhir.toJson(submission.bundle()), CaseRoutes.actor(ctx).name(),
                        Instant.now()));
            } catch (IllegalArgumentException taken) {
                // Another instance kept it first; the update itself is done, and $inquire finds it by the prior identifier.
            }
        }
    }

    /** The case's reconsiderations, in the order they were filed (their ids are time-ordered). */
    private List<Reconsideration> appealsOf(String caseId) {
        return cases.reconsiderations().repository().ofCase(caseId).stream()
                .sorted(java.util.Comparator.comparing(Reconsideration::reconsiderationId)).toList();
    }

    void inquire(Context ctx) throws IOException, RequestBodies.FhirRefusal {
        PasRequestReader.Inquiry inquiry = pas.readInquiry(FhirRoutes.body(ctx));
        PriorAuthorizationRequest submitted = cases.submissions()
                .find(Gatekeeper.caller(ctx).clientId(), inquiry.claimKey(), inquiry.patientKey()).orElse(null);
        if (submitted == null) {
            FhirRoutes.send(ctx, 404, new FhirInputException(List.of(new FhirInputException.Issue("Claim.identifier", IssueType.NOTFOUND,
                    "no prior-authorization request of this member has this identifier"))).toOperationOutcome());
            return;
        }
        ReviewCase current = cases.repository().find(submitted.caseId())
                .orElseThrow(() -> new CaseRefusal(CaseRefusal.Reason.NO_SUCH_CASE, "The case of this request is gone."));
        Bundle original = Fhir.parse(ContractJson.mapper().readTree(submitted.requestBundleJson()), Bundle.class, "$");
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("return").setResource(PasResponses.response(original, current, submitted.itemSequences(),
                current.recommendation() == null ? null : ContractJson.mapper().valueToTree(current.recommendation()), appealsOf(current.caseId())));
        FhirRoutes.send(ctx, 200, parameters);
    }

}
