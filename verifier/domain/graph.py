"""Connected components: one union-find for every place that groups things by links
(independent origins, copies among mutually supporting claims, suggested duplicates)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable


class UnionFind:
    """Disjoint sets of hashable, mutually comparable items; each set is named by its smallest
    member. An item not seen before is a set of its own."""

    def __init__(self, items: Iterable[Hashable] = ()):
        self.parent: dict = {x: x for x in items}

    def find(self, x):
        parent = self.parent
        root = parent.setdefault(x, x)
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b) -> bool:
        """Join the sets of ``a`` and ``b``; False when they were one already."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True

    def groups(self) -> dict:
        """Each set's name -> its members, in the order they were first seen."""
        out: dict = {}
        for x in list(self.parent):
            out.setdefault(self.find(x), []).append(x)
        return out


def path_between(edges: Iterable[tuple[Hashable, Hashable]], start: Hashable, goal: Hashable) -> list | None:
    """A path start -> ... -> goal along the directed ``edges`` (breadth first: a shortest one),
    or None. Adding the edge goal -> start closes a cycle exactly when there is one."""
    following: dict = {}
    for a, b in edges:
        following.setdefault(a, []).append(b)
    came: dict = {start: None}
    frontier = [start]
    while frontier:
        nxt = []
        for node in frontier:
            if node == goal:
                path = [node]
                while came[path[-1]] is not None:
                    path.append(came[path[-1]])
                return path[::-1]
            for b in following.get(node, ()):
                if b not in came:
                    came[b] = node
                    nxt.append(b)
        frontier = nxt
    return None
