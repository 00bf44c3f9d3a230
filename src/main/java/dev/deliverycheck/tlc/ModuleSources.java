package dev.deliverycheck.tlc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The source text of the TLA+ modules under a library directory, for naming what TLC reports by
 * line and column in words that survive edits: the enclosing definition and the expression's
 * own text. Modules TLC took from its jar (Naturals, ...) are not found: {@link Optional#empty()}.
 */
public final class ModuleSources {
    private static final Pattern DEFINITION = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\(.*?\\))?\\s*==.*");

    private final Path libraryDir;
    private final Map<String, Optional<List<String>>> cache = new HashMap<>();

    public ModuleSources(Path libraryDir) {
        this.libraryDir = libraryDir;
    }

    public Optional<List<String>> lines(String module) {
        return cache.computeIfAbsent(module, this::load);
    }

    private Optional<List<String>> load(String module) {
        try (Stream<Path> files = Files.walk(libraryDir)) {
            Optional<Path> file = files.filter(p -> p.getFileName().toString().equals(module + ".tla")).findFirst();
            if (file.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Files.readAllLines(file.get(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read module " + module + " under " + libraryDir, e);
        }
    }

    /** The region's text with runs of white space made one space, or empty if out of the file. */
    public Optional<String> text(Coverage.Region r) {
        return lines(r.module()).flatMap(text -> slice(text, r.line(), r.column(), r.endLine(), r.endColumn()));
    }

    /** The top-level definition (a line starting with {@code Name ==} or {@code Name(..) ==}) the region is in. */
    public Optional<String> enclosingDefinition(Coverage.Region r) {
        return definitionLine(r).flatMap(k -> lines(r.module()).map(text -> {
            Matcher m = DEFINITION.matcher(text.get(k - 1));
            return m.matches() ? m.group(1) : null;
        }));
    }

    /**
     * How many times the region's text occurs in its definition before the region, plus one: tells
     * apart two equal branches of one operator ({@code aux' = aux} in both disjuncts).
     */
    public int occurrence(Coverage.Region r) {
        Optional<Integer> def = definitionLine(r);
        Optional<String> own = text(r);
        if (def.isEmpty() || own.isEmpty()) {
            return 1;
        }
        String before = lines(r.module()).flatMap(t -> slice(t, def.get(), 1, r.line(), r.column() - 1)).orElse("");
        int count = 1;
        for (int at = before.indexOf(own.get()); at >= 0; at = before.indexOf(own.get(), at + 1)) {
            count++;
        }
        return count;
    }

    private Optional<Integer> definitionLine(Coverage.Region r) {
        return lines(r.module()).flatMap(text -> {
            for (int k = Math.min(r.line(), text.size()); k >= 1; k--) {
                if (DEFINITION.matcher(text.get(k - 1)).matches()) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        });
    }

    private static Optional<String> slice(List<String> text, int line, int column, int endLine, int endColumn) {
        if (line < 1 || endLine > text.size() || endLine < line) {
            return Optional.empty();
        }
        StringBuilder region = new StringBuilder();
        for (int l = line; l <= endLine; l++) {
            String s = text.get(l - 1);
            int from = l == line ? Math.min(Math.max(column - 1, 0), s.length()) : 0;
            int to = l == endLine ? Math.min(Math.max(endColumn, 0), s.length()) : s.length();
            region.append(s, from, Math.max(from, to)).append('\n');
        }
        return Optional.of(region.toString().strip().replaceAll("\\s+", " "));
    }
}
