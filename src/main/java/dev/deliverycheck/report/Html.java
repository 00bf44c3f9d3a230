package dev.deliverycheck.report;

/** Escaping for text and attribute values in HTML and inline SVG. */
final class Html {
    private Html() {
    }

    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** An id usable as an HTML anchor: letters, digits and '-' only. */
    static String id(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (sb.length() > 0) {
                sb.append('-');
            }
            sb.append(p.replaceAll("[^A-Za-z0-9]+", "-"));
        }
        return sb.toString();
    }
}
