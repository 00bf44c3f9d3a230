package dev.deliverycheck.report;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * What is wrong with a report page, read with an HTML parser: anchors without a target, links
 * and images to files that are not there, duplicate ids, and anything that would need a server
 * or the network (scripts, external stylesheets or fonts, absolute URLs).
 */
public final class ReportLinks {
    private ReportLinks() {
    }

    public static List<String> problems(Path page) throws IOException {
        Document doc = Jsoup.parse(page.toFile(), "UTF-8");
        Path dir = page.toAbsolutePath().getParent();
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Element e : doc.select("[id]")) {
            if (!ids.add(e.id())) {
                problems.add("duplicate id " + e.id());
            }
        }
        for (Element e : doc.select("script, link[rel=stylesheet], iframe, object, embed")) {
            problems.add("external or active content: " + e.outerHtml());
        }
        for (Element e : doc.select("[href], [src]")) {
            String target = e.hasAttr("href") ? e.attr("href") : e.attr("src");
            if (target.startsWith("#")) {
                if (!ids.contains(target.substring(1)) && doc.getElementById(target.substring(1)) == null) {
                    problems.add("broken anchor " + target);
                }
            } else if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                problems.add("not a local file: " + target);
            } else {
                String path = URLDecoder.decode(target.replaceAll("#.*$", ""), StandardCharsets.UTF_8);
                Path file = dir.resolve(path).normalize();
                if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
                    problems.add("missing file " + target);
                }
            }
        }
        return problems;
    }
}
