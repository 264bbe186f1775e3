package ser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages import each other in one direction only (docs/architecture.md's table is bottom up): jdeps
 * lists the package imports of the compiled classes, and no set of packages may reach itself.
 */
class PackageCyclesTest {

    @Test
    void noPackageOfTheEngineReachesItself() throws Exception {
        Map<String, Set<String>> imports = packageImports();
        assertTrue(imports.size() > 15, "jdeps listed the engine's packages: " + imports.keySet());
        assertTrue(imports.get("ser.autograd").contains("ser.autograd.kernels"), "and their imports: " + imports.get("ser.autograd"));
        assertEquals(List.of(), cycles(imports), "package cycles");
    }

    @Test
    void aCycleIsFound() {
        Map<String, Set<String>> g = new TreeMap<>();
        g.put("a", Set.of("b"));
        g.put("b", Set.of("c"));
        g.put("c", Set.of("a", "d"));
        g.put("d", Set.of());
        assertEquals(List.of(new TreeSet<>(List.of("a", "b", "c"))), cycles(g));
    }

    /** Each package of the engine's classes and the packages of the engine it imports, from jdeps. */
    private static Map<String, Set<String>> packageImports() throws Exception {
        Path classes = Path.of(SerException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String yaml = null;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.contains("snakeyaml")) yaml = entry;
        }
        List<String> args = new ArrayList<>(List.of("--multi-release", "25", "-verbose:package", "-e", "ser\\..*"));
        if (yaml != null) args.addAll(List.of("--module-path", yaml));
        args.add(classes.toString());
        StringWriter out = new StringWriter(), err = new StringWriter();
        int rc = ToolProvider.findFirst("jdeps").orElseThrow()
                .run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertEquals(0, rc, err.toString() + out);
        Map<String, Set<String>> imports = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[1].equals("->") && f[0].startsWith("ser") && f[2].startsWith("ser")
                    && !f[0].equals(f[2])) {
                imports.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[2]);
            }
        }
        return imports;
    }

    /** The strongly connected sets of more than one package (Tarjan's algorithm, iterative). */
    static List<Set<String>> cycles(Map<String, Set<String>> g) {
        Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String root : g.keySet()) {
            if (index.containsKey(root)) continue;
            Deque<Object[]> work = new ArrayDeque<>();  // {node, iterator over its imports}
            visit(root, index, low, stack, onStack, counter);
            work.push(new Object[] {root, g.getOrDefault(root, Set.of()).iterator()});
            while (!work.isEmpty()) {
                Object[] top = work.peek();
                String v = (String) top[0];
                @SuppressWarnings("unchecked") java.util.Iterator<String> it = (java.util.Iterator<String>) top[1];
                if (it.hasNext()) {
                    String w = it.next();
                    if (!index.containsKey(w)) {
                        visit(w, index, low, stack, onStack, counter);
                        work.push(new Object[] {w, g.getOrDefault(w, Set.of()).iterator()});
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = (String) work.peek()[0];
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    Set<String> component = new TreeSet<>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (!w.equals(v));
                    if (component.size() > 1) out.add(component);
                }
            }
        }
        return out;
    }

    private static void visit(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                              Set<String> onStack, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
    }
}
