package dev.deliverycheck.tlc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The coverage gate: the positive models must take every action of their spec's {@code Next}
 * and every branch of those actions, except what the manifest lists as deliberately
 * unreachable. A model that cannot reach an action proves nothing about it.
 *
 * <p>Ids name what TLC reports by position in words that survive edits:
 * <ul>
 *   <li>{@code Spec!Action}: a disjunct of {@code Next} of the guarantee spec {@code Spec} that
 *       generated no state in any positive model of {@code Spec}; {@code Spec!Action: text} for
 *       one disjunct of an action whose body is a disjunction;</li>
 *   <li>{@code Module!Definition: text}: a sub-expression of an enabled action that TLC never
 *       evaluated in any positive model (of any spec: a branch of the shared {@code DeliveryBase}
 *       counts as taken if one guarantee takes it), named by the top-level definition it is
 *       written in and its own text; {@code (#n)} tells apart the n-th equal text of a
 *       definition.</li>
 * </ul>
 * An exemption that names nothing unreached is stale and fails the gate too, so the list stays
 * true when a model starts reaching what it names.
 */
public final class CoverageGate {
    /** Per guarantee spec: what its positive models took. */
    public record SpecSummary(String spec, int models, int actions, int actionsEnabled, int branches,
                              int branchesEvaluated) {
        @Override
        public String toString() {
            return String.format("%s: %d/%d actions enabled, %d/%d sub-expressions evaluated (%d positive model%s)",
                    spec, actionsEnabled, actions, branchesEvaluated, branches, models, models == 1 ? "" : "s");
        }
    }

    /**
     * The verdict.
     *
     * @param unreached ids neither reached nor exempt
     * @param exempt    ids not reached and listed as unreachable
     * @param stale     exemptions that name nothing unreached
     */
    public record Report(List<SpecSummary> specs, List<String> unreached, List<String> exempt, List<String> stale) {
        public Report {
            specs = List.copyOf(specs);
            unreached = List.copyOf(unreached);
            exempt = List.copyOf(exempt);
            stale = List.copyOf(stale);
        }

        public boolean ok() {
            return unreached.isEmpty() && stale.isEmpty();
        }
    }

    private final ModuleSources sources;
    private final List<ModelManifest.Unreachable> exemptions;

    public CoverageGate(ModuleSources sources, List<ModelManifest.Unreachable> exemptions) {
        this.sources = sources;
        this.exemptions = List.copyOf(exemptions);
    }

    /** @param bySpec the coverage of every positive model, keyed by its guarantee spec */
    public Report evaluate(Map<String, List<Coverage>> bySpec) {
        Set<Coverage.Region> evaluatedAnywhere = new HashSet<>();
        for (List<Coverage> covs : bySpec.values()) {
            for (Coverage c : covs) {
                for (Coverage.Action a : c.actions()) {
                    evaluatedAnywhere.addAll(a.evaluated());
                }
            }
        }
        Set<String> notReached = new LinkedHashSet<>();
        Set<Coverage.Region> branchesNotReached = new LinkedHashSet<>();
        List<SpecSummary> summaries = new ArrayList<>();
        for (Map.Entry<String, List<Coverage>> e : bySpec.entrySet()) {
            Map<String, Boolean> enabled = new LinkedHashMap<>();
            Set<Coverage.Region> seen = new HashSet<>();
            Set<Coverage.Region> evaluatedHere = new HashSet<>();
            for (Coverage c : e.getValue()) {
                for (Coverage.Action a : c.actions()) {
                    enabled.merge(actionId(a), a.enabled(), Boolean::logicalOr);
                    if (a.enabled()) {
                        seen.addAll(a.evaluated());
                        seen.addAll(a.neverEvaluated());
                        evaluatedHere.addAll(a.evaluated());
                        for (Coverage.Region r : a.neverEvaluated()) {
                            if (!evaluatedAnywhere.contains(r)) {
                                branchesNotReached.add(r);
                            }
                        }
                    }
                }
            }
            enabled.forEach((name, on) -> {
                if (!on) {
                    notReached.add(e.getKey() + "!" + name);
                }
            });
            summaries.add(new SpecSummary(e.getKey(), e.getValue().size(), enabled.size(),
                    (int) enabled.values().stream().filter(b -> b).count(), seen.size(), evaluatedHere.size()));
        }
        for (Coverage.Region r : branchesNotReached) {
            notReached.add(branchId(r));
        }
        Set<String> exemptIds = new LinkedHashSet<>();
        exemptions.forEach(u -> exemptIds.add(u.id()));
        List<String> unreached = notReached.stream().filter(id -> !exemptIds.contains(id)).toList();
        List<String> exempt = notReached.stream().filter(exemptIds::contains).toList();
        List<String> stale = exemptIds.stream().filter(id -> !notReached.contains(id)).toList();
        return new Report(summaries, unreached, exempt, stale);
    }

    /** {@code Action} or, for one disjunct of an action TLC split, {@code Action: disjunct text}. */
    private String actionId(Coverage.Action a) {
        return a.disjunct() == null ? a.name() : a.name() + ": " + sources.text(a.disjunct()).orElse(a.disjunct().toString());
    }

    /** The id of a never-evaluated sub-expression: {@code Module!Definition: text[ (#n)]}. */
    public String branchId(Coverage.Region r) {
        String definition = sources.enclosingDefinition(r).orElse("?");
        String text = sources.text(r).orElse(r.toString());
        int n = sources.occurrence(r);
        return r.module() + "!" + definition + ": " + text + (n > 1 ? " (#" + n + ")" : "");
    }
}
