"""HTML rendering with jinja2: autoescaped, and templates a user can override (``--templates``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@lru_cache(maxsize=8)
def environment(user_templates: str | None = None) -> Environment:
    loaders = []
    if user_templates:
        loaders.append(FileSystemLoader(user_templates))
    loaders.append(FileSystemLoader(str(DEFAULT_TEMPLATES)))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_document(data: dict[str, Any], templates: Path | None = None) -> str:
    env = environment(str(templates) if templates else None)
    pages = [
        {"number": p, "text": t}
        for p, t in enumerate(data.get("text", "").split("\f")[: len(data.get("pages", []))], start=1)
    ]
    return env.get_template("document.html").render(doc=data, fields=data.get("fields", {}), page_texts=pages)
