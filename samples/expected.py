"""What a perfect conversion would output (contract v1 values) for a truth."""

from __future__ import annotations

import re

from .schema import _cell_entries


def _strip_colon(s: str) -> str:
    return s[:-1] if s.endswith(("：", ":")) else s


def expected_record(truth: dict) -> dict:
    """The contract values a perfect run should produce for this truth: {"document": documents.csv
    fields, "circulation": rows, "annotations": rows, "tables": [{"header": [...], "rows": [...]}]}.
    Table rows include the 合计 row; list cells are joined without separators."""
    c = truth["circular"]
    rc = c.get("receipt") or {}
    doc = {
        "copy_number": c.get("copy_number", ""),
        "secrecy": c.get("secrecy", "") + (f"★{c['secrecy_term']}" if c.get("secrecy") and c.get("secrecy_term") else ""),
        "urgency": c.get("urgency", ""),
        "issuer": c.get("issuer", ""), "doc_number": c.get("doc_number", ""), "signer": c.get("signer", ""),
        "title": re.sub(r"\s+", "", "".join(c.get("title_lines", []))),
        "addressees": _strip_colon(c.get("addressees", "")),
        "signatories": "；".join(c.get("signatories", [])), "issue_date": c.get("issue_date", ""),
        "disclosure": c.get("disclosure", ""), "attachments": "；".join(c.get("attachments", [])),
        "cc": c.get("cc", ""), "printed_by": c.get("printed_by", ""), "print_date": c.get("print_date", ""),
        "received_date": rc.get("date", ""), "receipt_number": rc.get("number", ""),
    }
    slip = truth.get("slip") or {}
    circulation = []
    for i, r in enumerate(slip.get("rows", [])):
        circulation.append({"seq": i + 1, "reader": r["reader"],
                            **{k: r.get(k + "_iso") or "" for k in ("circulated", "delivered", "returned")}})
    annotations = [{"kind": a["kind"], "text": a["text"], "signer": a.get("signer", ""), "date": a.get("date", "")}
                   for a in slip.get("annotations", []) + c.get("margin_notes", [])]
    tables = []
    for annex in truth.get("annexes", []):
        header = annex["header"]
        cols = []
        for j in range(len(header[0])):
            parts = []
            for row in header:
                if not parts or parts[-1] != row[j]:
                    parts.append(row[j])
            cols.append("/".join(parts))
        rows = [["".join(_cell_entries(x)) for x in r] for r in annex["rows"]]
        if annex.get("total_row"):
            rows.append(["".join(_cell_entries(x)) for x in annex["total_row"]])
        tables.append({"header": cols, "rows": rows})
    return {"document": doc, "circulation": circulation, "annotations": annotations, "tables": tables}


def body_text(truth: dict) -> str:
    """The circular's body as one string (paragraphs and headings joined without separators)."""
    return "".join(b["text"] for b in truth["circular"]["body"])
