package dev.deliverycheck.tlc;

import java.util.Locale;

/**
 * The Markdown table of a manifest's models that {@code spec/tla-models.md} carries between the
 * markers {@value #BEGIN} and {@value #END}; a test keeps the document equal to this rendering,
 * so the table never drifts from {@code tla/models.json}.
 */
public final class ModelsTable {
    public static final String BEGIN = "<!-- models-table:begin (generated from tla/models.json) -->";
    public static final String END = "<!-- models-table:end -->";

    private ModelsTable() {
    }

    public static String markdown(ModelManifest manifest) {
        StringBuilder sb = new StringBuilder();
        sb.append("| model | spec | config | expected | distinct states | seconds |\n");
        sb.append("|---|---|---|---|---:|---:|\n");
        long total = 0;
        double seconds = 0;
        for (ModelManifest.Entry e : manifest.entries()) {
            sb.append("| ").append(e.name()).append(" | ").append(e.spec()).append(" | ").append(e.config())
                    .append(" | ").append(e.expected()).append(" | ")
                    .append(e.distinctStates() == null ? "not recorded" : String.format(Locale.ROOT, "%,d", e.distinctStates()))
                    .append(" | ").append(e.seconds() == null ? "" : String.format(Locale.ROOT, "%.1f", e.seconds()))
                    .append(" |\n");
            total += e.distinctStates() == null ? 0 : e.distinctStates();
            seconds += e.seconds() == null ? 0 : e.seconds();
        }
        sb.append(String.format(Locale.ROOT, "| **%d models** | | | | **%,d** | **%.1f** |%n",
                manifest.entries().size(), total, seconds));
        return sb.toString();
    }

    /** The table a document carries between the markers, or null if it has none. */
    public static String extract(String document) {
        int b = document.indexOf(BEGIN);
        int e = document.indexOf(END);
        if (b < 0 || e < b) {
            return null;
        }
        return document.substring(b + BEGIN.length(), e).strip() + "\n";
    }

    /** The document with the table between its markers replaced; unchanged if it has no markers. */
    public static String replace(String document, ModelManifest manifest) {
        int b = document.indexOf(BEGIN);
        int e = document.indexOf(END);
        if (b < 0 || e < b) {
            return document;
        }
        return document.substring(0, b + BEGIN.length()) + "\n" + markdown(manifest) + document.substring(e);
    }
}
