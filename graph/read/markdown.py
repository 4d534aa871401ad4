"""Markdown (.md) read as the text a reader sees: headings, paragraphs, lists and tables, no markup.

Why render and not keep the source: ``**Date:**`` or ``[Register now](https://…)`` would reach
the extractor as part of names and fields, and ``# Title`` as part of the title. The text
stored (and every offset the extractor gives) is this rendering, so offsets stay exact into
what the store holds. markdown-it-py (CommonMark, with tables) does the parsing.

The rendering:
- headings, paragraphs, tables and lists are blocks separated by a blank line;
- a list item is one line, ``• `` for bullets and ``1. `` for numbered items, nested items
  indented by two spaces;
- a table row is its cells joined by `` | `` (as the DOCX reader writes rows), the alignment row
  left out;
- links and images keep their text, emphasis and inline HTML lose their markers; a soft line
  break is a space, a hard one (or ``<br>``) a line break (as a browser shows them).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

_TAG = re.compile(r"<[^>]{0,2000}>")
_BREAK = re.compile(r"<br\s*/?>$", re.I)


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def read_markdown(source: str) -> tuple[str, str]:
    """(text, title): the rendered text and the first heading (empty if none).

    >>> read_markdown("# Forum\\n\\n**Date:** 3 May\\n\\n- [Ms Ann Lee](https://x.org), ITC\\n- Mr Bo Ma")
    ('Forum\\n\\nDate: 3 May\\n\\n• Ms Ann Lee, ITC\\n• Mr Bo Ma', 'Forum')
    """
    renderer = _Renderer()
    for token in _parser().parse(source):
        renderer.token(token)
    return "\n\n".join(block for block in renderer.blocks if block.strip()), renderer.title


class _Renderer:
    """Blocks of text from markdown-it's token stream (one method per kind of token that matters)."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.title = ""
        self.lists: list[list] = []  # open lists: [marker, next number]
        self.list_lines: list[str] = []
        self.item_prefix = ""
        self.first_in_item = False
        self.table: list[str] = []
        self.row: list[str] | None = None
        self.heading = False

    def token(self, token: Token) -> None:
        handler = getattr(self, "_" + token.type, None)
        if handler is not None:
            handler(token)

    def _bullet_list_open(self, token: Token) -> None:
        self.lists.append(["•", 0])

    def _ordered_list_open(self, token: Token) -> None:
        self.lists.append(["1", int(token.attrGet("start") or 1)])

    def _bullet_list_close(self, token: Token) -> None:
        self.lists.pop()
        if not self.lists and self.list_lines:
            self.blocks.append("\n".join(self.list_lines))
            self.list_lines = []

    _ordered_list_close = _bullet_list_close

    def _list_item_open(self, token: Token) -> None:
        marker = self.lists[-1][0]
        if marker != "•":
            marker = f"{self.lists[-1][1]}."
            self.lists[-1][1] += 1
        self.item_prefix = "  " * (len(self.lists) - 1) + marker + " "
        self.first_in_item = True

    def _heading_open(self, token: Token) -> None:
        self.heading = True

    def _heading_close(self, token: Token) -> None:
        self.heading = False

    def _tr_open(self, token: Token) -> None:
        self.row = []

    def _tr_close(self, token: Token) -> None:
        row = self.row or []
        while row and not row[-1]:
            row.pop()
        self.table.append(" | ".join(row))
        self.row = None

    def _table_close(self, token: Token) -> None:
        self.blocks.append("\n".join(line for line in self.table if line))
        self.table = []

    def _inline(self, token: Token) -> None:
        text = _inline(token.children or [])
        if self.row is not None:
            self.row.append(text.strip())
        elif self.lists:
            self.list_lines.append((self.item_prefix if self.first_in_item else "  " * len(self.lists)) + text)
            self.first_in_item = False
        elif text.strip():
            self.blocks.append(text)
            if self.heading and not self.title:
                self.title = text.strip()

    def _fence(self, token: Token) -> None:
        self.blocks.append(token.content.rstrip("\n"))

    _code_block = _fence

    def _html_block(self, token: Token) -> None:
        text = _TAG.sub("", token.content).strip()
        if text:
            self.blocks.append(text)


def _inline(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "image":
            parts.append(_inline(child.children or []) or child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak" or (child.type == "html_inline" and _BREAK.match(child.content)):
            parts.append("\n")
    return "".join(parts)
