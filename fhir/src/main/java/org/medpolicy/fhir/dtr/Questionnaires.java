package org.medpolicy.fhir.dtr;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.medpolicy.core.policy.LoadedPolicy;
import org.medpolicy.core.policy.PolicyDocument;
import org.medpolicy.core.policy.PolicyLibrary;

/**
 * Builds FHIR Questionnaires from the questions in policy data: one per policy version and question,
 * id {@code <policy>-<question>}, canonical {@code <base>/fhir/Questionnaire/<id>}, version the
 * policy version. Each has one required choice item whose answer options are the question's
 * (codes in {@code <base>/fhir/CodeSystem/<id>}). Immutable and thread-safe; builds HAPI models.
 */
public final class Questionnaires {

    private final PolicyLibrary library;
    private final String baseUrl;

    public Questionnaires(PolicyLibrary library, String baseUrl) {
        this.library = library;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String canonical(String id) {
        return baseUrl + "/fhir/Questionnaire/" + id;
    }

    /** The Questionnaire {@code <policy>-<question>} of the newest version of that policy, if there is one. */
    public Optional<Questionnaire> byId(String id) {
        for (int i = library.policies().size() - 1; i >= 0; i--) {
            LoadedPolicy loaded = library.policies().get(i);
            PolicyDocument policy = loaded.document();
            String prefix = policy.id() + "-";
            if (id.startsWith(prefix) && policy.questions().containsKey(id.substring(prefix.length()))) {
                return Optional.of(build(policy, id.substring(prefix.length())));
            }
        }
        return Optional.empty();
    }

    /** The Questionnaire a canonical ({@code url} or {@code url|version}) names, if it is one of ours. */
    public Optional<Questionnaire> byCanonical(String canonical) {
        String url = canonical.contains("|") ? canonical.substring(0, canonical.indexOf('|')) : canonical;
        String prefix = baseUrl + "/fhir/Questionnaire/";
        if (!url.startsWith(prefix)) {
            int at = url.indexOf("/fhir/Questionnaire/");
            if (at < 0) {
                return Optional.empty();
            }
            prefix = url.substring(0, at) + "/fhir/Questionnaire/";
        }
        return byId(url.substring(prefix.length()));
    }

    private Questionnaire build(PolicyDocument policy, String questionId) {
        var question = policy.questions().get(questionId);
        String id = policy.id() + "-" + questionId;
        Questionnaire questionnaire = new Questionnaire();
        questionnaire.setId(id);
        questionnaire.setUrl(canonical(id));
        questionnaire.setVersion(policy.version().toString());
        questionnaire.setName(camel(id));
        questionnaire.setTitle(policy.title() + ": " + plain(question.text()));
        questionnaire.setStatus(Enumerations.PublicationStatus.ACTIVE);
        questionnaire.setDate(Date.from(policy.dates().published().atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
        questionnaire.setPublisher("medpolicy");
        questionnaire.setDescription(plain(question.explanation()));
        questionnaire.addSubjectType("Patient");
        // DTR's standard Questionnaire profile requires a narrative: the title and the question, escaped.
        questionnaire.getText().setStatus(org.hl7.fhir.r4.model.Narrative.NarrativeStatus.GENERATED)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>" + xhtml(questionnaire.getTitle()) + "</p><p>"
                        + xhtml(plain(question.text())) + "</p></div>");
        Questionnaire.QuestionnaireItemComponent item = questionnaire.addItem();
        item.setLinkId(questionId);
        item.setText(plain(question.text()));
        item.setType(Questionnaire.QuestionnaireItemType.CHOICE);
        item.setRequired(true);
        String system = baseUrl + "/fhir/CodeSystem/" + id;
        for (var option : question.answerOptions()) {
            item.addAnswerOption().setValue(new Coding(system, option.code(), option.display()));
        }
        String library = DtrLibraries.canonical(policy, baseUrl);
        questionnaire.addExtension("http://hl7.org/fhir/StructureDefinition/cqf-library", new CanonicalType(library));
        Questionnaire.QuestionnaireItemComponent member = questionnaire.addItem();
        member.setLinkId("member-id").setText("Member ID (from the EHR)").setType(Questionnaire.QuestionnaireItemType.STRING).setReadOnly(true);
        member.addExtension("http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression",
                new org.hl7.fhir.r4.model.Expression().setLanguage("text/cql")
                        .setExpression("\"" + DtrLibraries.name(policy) + "\".\"Member ID\""));
        return questionnaire;
    }

    private static String xhtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The DTR package of a Questionnaire: a collection Bundle of it and an empty QuestionnaireResponse for it. */
    public Bundle packageOf(Questionnaire questionnaire) {
        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.COLLECTION);
        bundle.setTimestamp(new Date());
        bundle.addEntry().setFullUrl(questionnaire.getUrl()).setResource(questionnaire);
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setId(questionnaire.getIdElement().getIdPart() + "-response");
        response.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.INPROGRESS);
        response.setQuestionnaireElement(new CanonicalType(questionnaire.getUrl() + "|" + questionnaire.getVersion()));
        for (var item : questionnaire.getItem()) {
            response.addItem().setLinkId(item.getLinkId()).setText(item.getText());
        }
        bundle.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID()).setResource(response);
        policyOf(questionnaire).ifPresent(policy -> {
            var library = DtrLibraries.library(policy, baseUrl);
            bundle.addEntry().setFullUrl(library.getUrl()).setResource(library);
            var helpers = DtrLibraries.fhirHelpers();
            bundle.addEntry().setFullUrl(helpers.getUrl()).setResource(helpers);
        });
        return bundle;
    }

    /** The Library {@code <policy>-prepopulation} of the newest version of that policy, if there is one. */
    public Optional<org.hl7.fhir.r4.model.Library> library(String id) {
        for (int i = library.policies().size() - 1; i >= 0; i--) {
            PolicyDocument policy = library.policies().get(i).document();
            if (id.equals(DtrLibraries.id(policy)) && !policy.questions().isEmpty()) {
                return Optional.of(DtrLibraries.library(policy, baseUrl));
            }
        }
        return Optional.empty();
    }

    private Optional<PolicyDocument> policyOf(Questionnaire questionnaire) {
        String id = questionnaire.getIdElement().getIdPart();
        for (int i = library.policies().size() - 1; i >= 0; i--) {
            PolicyDocument policy = library.policies().get(i).document();
            if (id.startsWith(policy.id() + "-") && policy.version().toString().equals(questionnaire.getVersion())) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }

    /** Every Questionnaire id the policies define. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        library.policies().stream().map(LoadedPolicy::document).forEach(policy ->
                policy.questions().keySet().forEach(question -> ids.add(policy.id() + "-" + question)));
        return ids.stream().distinct().toList();
    }

    /**
     * The ValueSet of a question's answers (same id as its Questionnaire), expanded: what
     * {@code ValueSet/$expand} returns for DTR clients that expand rather than read answerOption.
     */
    public java.util.Optional<org.hl7.fhir.r4.model.ValueSet> valueSet(String id) {
        return byId(id).map(questionnaire -> {
            org.hl7.fhir.r4.model.ValueSet valueSet = new org.hl7.fhir.r4.model.ValueSet();
            valueSet.setId(id);
            valueSet.setUrl(baseUrl + "/fhir/ValueSet/" + id);
            valueSet.setVersion(questionnaire.getVersion());
            valueSet.setName(questionnaire.getName());
            valueSet.setTitle(questionnaire.getTitle());
            valueSet.setStatus(Enumerations.PublicationStatus.ACTIVE);
            var include = valueSet.getCompose().addInclude().setSystem(baseUrl + "/fhir/CodeSystem/" + id);
            var expansion = valueSet.getExpansion().setTimestamp(new Date()).setIdentifier("urn:uuid:" + java.util.UUID.randomUUID());
            for (var option : questionnaire.getItemFirstRep().getAnswerOption()) {
                Coding coding = option.getValueCoding();
                include.addConcept().setCode(coding.getCode()).setDisplay(coding.getDisplay());
                expansion.addContains().setSystem(coding.getSystem()).setCode(coding.getCode()).setDisplay(coding.getDisplay());
            }
            expansion.setTotal(expansion.getContains().size());
            return valueSet;
        });
    }

    /** The ValueSet a canonical ({@code url} or {@code url|version}) names, if it is one of ours. */
    public java.util.Optional<org.hl7.fhir.r4.model.ValueSet> valueSetByCanonical(String canonical) {
        String url = canonical.contains("|") ? canonical.substring(0, canonical.indexOf('|')) : canonical;
        int at = url.indexOf("/fhir/ValueSet/");
        return at < 0 ? java.util.Optional.empty() : valueSet(url.substring(at + "/fhir/ValueSet/".length()));
    }

    /** DTR's adaptive {@code $next-question}; see {@link AdaptiveQuestions#next}. */
    public QuestionnaireResponse nextQuestion(QuestionnaireResponse response) {
        return AdaptiveQuestions.next(this, response);
    }

    /** What this server offers over FHIR. */
    public CapabilityStatement capabilityStatement() {
        CapabilityStatement statement = new CapabilityStatement();
        statement.setStatus(Enumerations.PublicationStatus.ACTIVE);
        statement.setDate(new Date());
        statement.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        statement.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        statement.addFormat("json");
        statement.getSoftware().setName("medpolicy").setVersion(org.medpolicy.core.EngineVersion.get());
        statement.getImplementation().setDescription("medpolicy payer services").setUrl(baseUrl + "/fhir");
        var rest = statement.addRest().setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        var questionnaire = rest.addResource().setType("Questionnaire");
        questionnaire.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.READ);
        questionnaire.addOperation().setName("questionnaire-package")
                .setDefinition("http://hl7.org/fhir/us/davinci-dtr/OperationDefinition/Questionnaire-package");
        questionnaire.addOperation().setName("next-question")
                .setDefinition("http://hl7.org/fhir/uv/sdc/OperationDefinition/Questionnaire-next-question");
        questionnaire.addOperation().setName("log-questionnaire-errors")
                .setDefinition("http://hl7.org/fhir/us/davinci-dtr/OperationDefinition/log-questionnaire-errors");
        var valueSet = rest.addResource().setType("ValueSet");
        valueSet.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.READ);
        var libraryResource = rest.addResource().setType("Library");
        libraryResource.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.READ);
        valueSet.addOperation().setName("expand").setDefinition("http://hl7.org/fhir/OperationDefinition/ValueSet-expand");
        var claim = rest.addResource().setType("Claim");
        claim.addSupportedProfile("http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-claim");
        claim.addOperation().setName("submit").setDefinition("http://hl7.org/fhir/us/davinci-pas/OperationDefinition/Claim-submit");
        claim.addOperation().setName("inquire").setDefinition("http://hl7.org/fhir/us/davinci-pas/OperationDefinition/Claim-inquiry");
        var subscription = rest.addResource().setType("Subscription");
        subscription.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.CREATE);
        subscription.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.READ);
        subscription.addSupportedProfile("http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription");
        var security = rest.getSecurity().setDescription("SMART Backend Services: " + baseUrl + "/.well-known/smart-configuration");
        security.addService().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/restful-security-service").setCode("SMART-on-FHIR");
        return statement;
    }

    private static String plain(String template) {
        return template.replace("{subject}", "The ordered service").replace("{product}", "the named product");
    }

    static String camel(String id) {
        StringBuilder name = new StringBuilder();
        boolean upper = true;
        for (char c : id.toCharArray()) {
            if (!Character.isLetterOrDigit(c)) {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }
}
