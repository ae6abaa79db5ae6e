"""Web addresses as a reader sees them on a slide (pure, no I/O).

* ``display_url(url)``: one address → how a person would write it: no scheme, no ``www.``, no
  trailing slash, no tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``yclid``, ``ysclid``,
  ``ref``, ``ref_*``); the other parameters and a ``#fragment`` are kept. The ``url:`` field is
  shown so.
* ``display_links(text)``: a typographed text → the same text with each address in it (one with
  ``http(s)://`` or ``ftp://`` or ``www.``, or a bare domain with a path or query) shown as
  ``display_url`` shows it, so a slide's text and its ``url:`` write an address alike, and a
  tracking tail («?utm_source=vk&utm_campaign=carousel») is not set across three lines. Inline
  code (`` `…` ``) is left as typed. The README documents the rule (deck format).

The addresses are found with the typograph's own patterns (``cardgen.text.typograph``), the ones
that keep its rules off them: what the typograph leaves alone as an address is what is shown
as one. A slide's caption (``caption.txt``) keeps its addresses whole: there they are links.
"""

from __future__ import annotations

import re

from cardgen.text.typograph import DOMAIN_HINT, DOMAIN_RE, URL_RE

__all__ = ["display_links", "display_url"]

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_TRACKING = re.compile(r"^(utm_|fbclid|gclid|yclid|ysclid|ref$|ref_)", re.I)
_CODE = re.compile(r"(`[^`\n]+`)")  # inline code, as the markup reads it: kept as typed


def display_url(url: str) -> str:
    """https://www.site.com/path/?utm_source=vk → site.com/path: how a person would write it."""
    text = _SCHEME.sub("", url.strip())
    text = text.removeprefix("www.")
    text, _, fragment = text.partition("#")  # a part of the page («#prices»): the reader's, kept
    base, _, query = text.partition("?")
    kept = [p for p in query.split("&") if p and not _TRACKING.match(p.split("=")[0])]
    base = base.rstrip("/")
    return base + ("?" + "&".join(kept) if kept else "") + ("#" + fragment if fragment else "")


def display_links(text: str) -> str:
    """Each address in a text shown as `display_url` shows it; inline code left as typed."""
    if "://" not in text and "www." not in text.lower() and not DOMAIN_HINT.search(text):
        return text  # most texts: no address at all, and the domain pattern is never run
    parts = _CODE.split(text)  # odd parts are code spans
    for k in range(0, len(parts), 2):
        part = URL_RE.sub(lambda m: display_url(m[0]), parts[k])
        if "/" in part or "?" in part or "#" in part:  # a bare domain alone is already as a person writes it
            part = DOMAIN_RE.sub(lambda m: display_url(m[0]), part)
        parts[k] = part
    return "".join(parts)
