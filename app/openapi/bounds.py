"""Bounds on every integer the contract names, so clients (and the OWASP lint) know the range.

Inputs carry their own (`Field(ge=, le=)`, `Query(ge=, le=)`); what is left are integers the
registry answers with: ids, counts, sizes, positions and cursors, none ever negative, none past
2^53 - 1 (what a JSON number keeps exactly in JavaScript). Schemathesis checks every answer
against these bounds.
"""

from typing import Any

LARGEST_EXACT = 2**53 - 1


def bound_integers(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "integer":
            node.setdefault("format", "int64")
            if "minimum" not in node and "exclusiveMinimum" not in node:
                node["minimum"] = 0
            if "maximum" not in node and "exclusiveMaximum" not in node:
                node["maximum"] = LARGEST_EXACT
        for value in node.values():
            bound_integers(value)
    elif isinstance(node, list):
        for value in node:
            bound_integers(value)
