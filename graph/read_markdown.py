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
  break is a space, a hard one a line break (as a browser shows them).
"""

from __future__ import annotations

import re

_TAG = re.compile(r"<[^>]{0,2000}>")


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table")


def read_markdown(source: str) -> tuple[str, str]:
    """(text, title): the rendered text and the first heading (empty if none).

    >>> read_markdown("# Forum\\n\\n**Date:** 3 May\\n\\n- [Ms Ann Lee](https://x.org), ITC\\n- Mr Bo Ma")
    ('Forum\\n\\nDate: 3 May\\n\\n• Ms Ann Lee, ITC\\n• Mr Bo Ma', 'Forum')
    """
    blocks: list[str] = []
    title = ""
    lists: list[list] = []  # open lists: [marker kind, next number]
    list_lines: list[str] = []
    item_prefix = ""
    first_in_item = False
    table: list[str] = []
    row: list[str] | None = None
    heading = False
    for token in _parser().parse(source):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else 0
            lists.append(["•" if kind == "bullet_list_open" else "1", start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists and list_lines:
                blocks.append("\n".join(list_lines))
                list_lines = []
        elif kind == "list_item_open":
            marker = lists[-1][0]
            if marker != "•":
                marker = f"{lists[-1][1]}."
                lists[-1][1] += 1
            item_prefix = "  " * (len(lists) - 1) + marker + " "
            first_in_item = True
        elif kind == "heading_open":
            heading = True
        elif kind == "heading_close":
            heading = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            while row and not row[-1]:
                row.pop()
            table.append(" | ".join(row))
            row = None
        elif kind == "table_close":
            blocks.append("\n".join(line for line in table if line))
            table = []
        elif kind == "inline":
            text = _inline(token.children or [])
            if row is not None:
                row.append(text.strip())
            elif lists:
                indent = item_prefix if first_in_item else "  " * len(lists)
                list_lines.append(indent + text)
                first_in_item = False
            elif text.strip():
                blocks.append(text)
                if heading and not title:
                    title = text.strip()
        elif kind in ("fence", "code_block"):
            blocks.append(token.content.rstrip("\n"))
        elif kind == "html_block":
            text = _TAG.sub("", token.content).strip()
            if text:
                blocks.append(text)
    return "\n\n".join(block for block in blocks if block.strip()), title


def _inline(children) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "image":
            parts.append(_inline(child.children or []) or child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
    return "".join(parts)
