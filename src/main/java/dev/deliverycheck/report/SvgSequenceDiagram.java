package dev.deliverycheck.report;

import java.util.Locale;

/**
 * Draws a {@link Diagram} as one self-contained inline SVG: no scripts, fonts or stylesheets
 * outside it, explicit width and height so it renders at its size wherever it is embedded.
 * Arrowheads are polygons rather than shared markers, so several diagrams can sit on one page
 * without clashing ids.
 */
public final class SvgSequenceDiagram {
    static final int LANE_WIDTH = 200;
    static final int MARGIN = 16;
    static final int HEADER = 44;
    static final int ROW = 24;
    /** Width of one character of the 11 px monospace labels, rounded up. */
    static final double CHAR = 6.8;

    private SvgSequenceDiagram() {
    }

    public static String render(Diagram d) {
        int lanes = d.lanes().size();
        double width = MARGIN * 2 + lanes * LANE_WIDTH;
        double y = HEADER + 10;
        for (Diagram.Item item : d.items()) {
            // A first pass only measures, so that rules and banners span the final width.
            y += ROW;
            width = Math.max(width, draw(new StringBuilder(), d, item, y, width));
        }
        double height = y + ROW;
        StringBuilder body = new StringBuilder();
        y = HEADER + 10;
        for (Diagram.Item item : d.items()) {
            y += ROW;
            draw(body, d, item, y, width);
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sequence\" width=\"%.0f\" height=\"%.0f\" "
                + "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"%s\" font-family=\"monospace\" font-size=\"11\">%n",
                width, height, width, height, Html.escape(d.title())));
        svg.append("<title>").append(Html.escape(d.title())).append("</title>\n");
        svg.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>%n", width, height));
        for (int i = 0; i < lanes; i++) {
            double x = laneX(i);
            svg.append(String.format(Locale.ROOT, "<line class=\"lane\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#b0b0b0\"/>%n",
                    x, HEADER, x, height - 8));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"8\" width=\"%d\" height=\"26\" rx=\"4\" fill=\"#e8eef7\" stroke=\"#6d8bb8\"/>%n",
                    x - (LANE_WIDTH - 30) / 2.0, LANE_WIDTH - 30));
            svg.append(String.format(Locale.ROOT, "<text class=\"lane-name\" x=\"%.1f\" y=\"25\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>%n",
                    x, Html.escape(d.lanes().get(i))));
        }
        svg.append(body);
        svg.append("</svg>\n");
        return svg.toString();
    }

    static double laneX(int index) {
        return MARGIN + index * LANE_WIDTH + LANE_WIDTH / 2.0;
    }

    private static double textWidth(String s) {
        return s.length() * CHAR;
    }

    /** Draws one row at height {@code y}; returns the rightmost x it used. */
    private static double draw(StringBuilder out, Diagram d, Diagram.Item item, double y, double width) {
        if (item instanceof Diagram.Divider div) {
            out.append(String.format(Locale.ROOT, "<line class=\"step\" x1=\"4\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#d0d0d0\" "
                    + "stroke-dasharray=\"4 3\"/>%n", y - 14, width - 4, y - 14));
            out.append(String.format(Locale.ROOT, "<text class=\"step-label\" x=\"6\" y=\"%.1f\" fill=\"#555555\" font-style=\"italic\">%s</text>%n",
                    y - 2, Html.escape(div.label())));
            return 6 + textWidth(div.label());
        }
        if (item instanceof Diagram.Banner b) {
            double w = Math.max(width - 8, textWidth(b.label()) + 16);
            out.append(String.format(Locale.ROOT, "<rect class=\"violation\" x=\"4\" y=\"%.1f\" width=\"%.0f\" height=\"20\" fill=\"#c62828\"/>%n",
                    y - 15, w));
            out.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%.1f\" fill=\"#ffffff\" font-weight=\"bold\">%s</text>%n",
                    y - 1, Html.escape(b.label())));
            return w + 8;
        }
        if (item instanceof Diagram.Bar bar) {
            double x = laneX(d.index(bar.lane()));
            String color = bar.crash() ? "#c62828" : "#2e7d32";
            out.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"60\" height=\"10\" fill=\"%s\"/>%n",
                    bar.crash() ? "crash" : "restart", x - 30, y - 12, color));
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" font-weight=\"bold\">%s</text>%n",
                    x + 36, y - 3, color, Html.escape(bar.label())));
            return x + 36 + textWidth(bar.label());
        }
        if (item instanceof Diagram.Note n) {
            double x = laneX(d.index(n.lane()));
            double w = textWidth(n.label()) + 10;
            String fill = n.highlighted() ? "#ffd6d6" : n.marker() ? "#eadcff" : "#f6f6f0";
            String stroke = n.highlighted() ? "#c62828" : n.marker() ? "#6a1b9a" : "#b8b8a0";
            out.append(String.format(Locale.ROOT, "<rect class=\"note%s%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"18\" rx=\"3\" "
                    + "fill=\"%s\" stroke=\"%s\"%s/>%n", n.highlighted() ? " offending" : "", n.marker() ? " marker" : "",
                    x - 5, y - 14, w, fill, stroke, n.highlighted() || n.marker() ? " stroke-width=\"2\"" : ""));
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\"%s>%s</text>%n", x, y - 1,
                    n.highlighted() ? " font-weight=\"bold\" fill=\"#b71c1c\"" : n.marker() ? " font-weight=\"bold\" fill=\"#4a148c\"" : "",
                    Html.escape(n.label())));
            return x - 5 + w;
        }
        Diagram.Arrow a = (Diagram.Arrow) item;
        double x1 = laneX(d.index(a.from()));
        double x2 = laneX(d.index(a.to()));
        double dir = Math.signum(x2 - x1);
        double end = a.lost() ? x1 + (x2 - x1) * 0.6 : x2;
        String color = a.highlighted() ? "#c62828" : a.lost() ? "#d84315" : "#263238";
        out.append(String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%s\"%s/>%n",
                a.lost() ? "message lost" : "message", x1, y, end, y, color, a.highlighted() ? "2.5" : "1.5",
                a.lost() ? " stroke-dasharray=\"6 3\"" : ""));
        if (a.lost()) {
            out.append(String.format(Locale.ROOT, "<path class=\"cross\" d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\" stroke=\"#c62828\" stroke-width=\"3\"/>%n",
                    end - 6, y - 6, end + 6, y + 6, end - 6, y + 6, end + 6, y - 6));
        } else {
            out.append(String.format(Locale.ROOT, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\"/>%n",
                    x2, y, x2 - dir * 9, y - 4, x2 - dir * 9, y + 4, color));
        }
        double labelX = Math.min(x1, x2) + 6;
        // A lost message's label sits higher, clear of the cross.
        out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\"%s>%s</text>%n", labelX, y - (a.lost() ? 8 : 4), color,
                a.highlighted() ? " font-weight=\"bold\"" : "", Html.escape(a.label())));
        return labelX + textWidth(a.label());
    }
}
