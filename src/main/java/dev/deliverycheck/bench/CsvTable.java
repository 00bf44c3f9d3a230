package dev.deliverycheck.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A table written as RFC 4180 CSV: a header line, then one line per row. Numbers are written
 * with a dot as decimal separator whatever the locale, to 6 significant digits; text containing a comma, quote or line
 * break is quoted. Invariant: every row has as many cells as the header.
 */
public final class CsvTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public CsvTable(String... header) {
        this.header = List.of(header);
    }

    public CsvTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, header has " + header.size());
        }
        List<String> row = new ArrayList<>(cells.length);
        for (Object c : cells) {
            row.add(format(c));
        }
        rows.add(row);
        return this;
    }

    public int rowCount() {
        return rows.size();
    }

    private static String format(Object c) {
        if (c == null) {
            return "";
        }
        if (c instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return "";
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString(d.longValue());
            }
            return new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros().toPlainString();
        }
        return c.toString();
    }

    private static String escape(String cell) {
        if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
            return '"' + cell.replace("\"", "\"\"") + '"';
        }
        return cell;
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        appendLine(sb, header);
        for (List<String> row : rows) {
            appendLine(sb, row);
        }
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(escape(cells.get(i)));
        }
        sb.append('\n');
    }

    public Path write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, render(), StandardCharsets.UTF_8);
        return file;
    }
}
