package dev.framebench.harness.profiler;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Two profiles merged into one call tree: every node holds its inclusive samples in profile A and in
 * profile B, so each frame's share of its profile can be compared even when the two runs took different
 * numbers of samples. Children are ordered by name, as in a flame graph.
 */
final class DiffTree {
    final String name;
    final Map<String, DiffTree> children = new TreeMap<>();
    long samplesA;
    long samplesB;

    private DiffTree(String name) {
        this.name = name;
    }

    static DiffTree of(CollapsedStacks a, CollapsedStacks b) {
        DiffTree root = new DiffTree("all");
        a.samples().forEach((stack, count) -> root.add(stack, count, true));
        b.samples().forEach((stack, count) -> root.add(stack, count, false));
        return root;
    }

    private void add(List<String> stack, long count, boolean inA) {
        DiffTree node = this;
        node.count(count, inA);
        for (String frame : stack) {
            node = node.children.computeIfAbsent(frame, DiffTree::new);
            node.count(count, inA);
        }
    }

    private void count(long count, boolean inA) {
        if (inA) {
            samplesA += count;
        } else {
            samplesB += count;
        }
    }

    /** Deepest level below this node (this node is 0). */
    int depth() {
        int deepest = 0;
        for (DiffTree child : children.values()) {
            deepest = Math.max(deepest, 1 + child.depth());
        }
        return deepest;
    }
}
