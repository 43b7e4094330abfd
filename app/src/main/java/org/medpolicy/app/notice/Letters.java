package org.medpolicy.app.notice;

import com.fasterxml.jackson.databind.JsonNode;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.pdf.PdfWriter;
import java.io.ByteArrayOutputStream;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What every letter medpolicy prints shares: the page, the fonts, a title, headed sections, and how
 * an item and an outcome read in plain language. One letter is one {@code Letters} (not
 * thread-safe; make one per letter).
 */
final class Letters {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.US);
    static final Font TITLE = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 15);
    static final Font HEADING = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 11);
    static final Font BODY = FontFactory.getFont(FontFactory.HELVETICA, 10);
    static final Font SMALL = FontFactory.getFont(FontFactory.HELVETICA_OBLIQUE, 8);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Document document = new Document(PageSize.LETTER, 54, 54, 54, 54);

    /** Opens a letter titled {@code title}; {@code preview} marks a draft not yet sent. */
    Letters(String title, boolean preview) throws DocumentException {
        PdfWriter.getInstance(document, out);
        document.addTitle(title);
        document.addCreator("medpolicy");
        document.open();
        if (preview) {
            document.add(new Paragraph("PREVIEW - NOT SENT", HEADING));
        }
        Paragraph heading = new Paragraph(title, TITLE);
        heading.setAlignment(Element.ALIGN_CENTER);
        document.add(heading);
    }

    Document document() {
        return document;
    }

    void line(String text) throws DocumentException {
        document.add(new Paragraph(text, BODY));
    }

    void small(String text) throws DocumentException {
        document.add(new Paragraph(text, SMALL));
    }

    void blank() throws DocumentException {
        document.add(new Paragraph(" ", BODY));
    }

    void section(String heading) throws DocumentException {
        section(document, heading);
    }

    static void section(Document document, String heading) throws DocumentException {
        Paragraph paragraph = new Paragraph(heading, HEADING);
        paragraph.setSpacingBefore(8);
        document.add(paragraph);
    }

    byte[] close() {
        document.close();
        return out.toByteArray();
    }

    /** "Item 2 (tisagenlecleucel)": an item of a determination, by its number from 1 and what it is. */
    static String itemName(JsonNode item) {
        int number = item.path("index").asInt() + 1;
        String name = item.path("product").path("name").asText(item.path("category").asText("Item " + number));
        return "Item " + number + " (" + name.replace('_', ' ').toLowerCase(Locale.ROOT) + ")";
    }

    static String plain(String outcome) {
        return switch (outcome) {
            case "NOT_COVERED" -> "not covered";
            case "INVALID_CODE" -> "not payable as billed (the code is not valid)";
            case "COVERED" -> "covered";
            case "OUT_OF_SCOPE" -> "decided under other coverage rules";
            case "INFO_NEEDED" -> "more information needed";
            default -> outcome.toLowerCase(Locale.ROOT);
        };
    }

    /** The policy and version a determination was decided under, and every passage it cites. */
    void rulesUsed(JsonNode determination) throws DocumentException {
        JsonNode policy = determination.path("policy");
        section("The rules we used");
        line(policy.path("title").asText("") + ", version " + policy.path("version").asText("")
                + " (policy " + policy.path("id").asText("") + "), and the Medicare rules it names.");
        for (JsonNode item : determination.path("items")) {
            for (JsonNode citation : item.path("citations")) {
                small("\u2022 " + citation.path("section").asText(citation.path("source").asText("")) + ": \""
                        + citation.path("quote").asText("") + "\"");
            }
        }
    }

    static String text(JsonNode node, String field, String otherwise) {
        String value = node.path(field).asText("");
        return value.isBlank() ? otherwise : value;
    }
}
