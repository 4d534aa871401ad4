"""PDF text rebuilt into paragraphs: wrapped lines rejoined, cut words mended, running lines dropped, notes kept."""

from __future__ import annotations

from pathlib import Path

from graph.read.pdf_layout import Line, rebuild
from graph.read.reader import read_document
from tests.helpers.files import text_pdf

HEIGHT = 792.0
RIGHT = 540.0  # where a full line ends


def body(page: int, *lines: str, top: float = 700, size: float = 11, gap: float = 14,
         full: tuple[int, ...] = ()) -> list[Line]:
    """Lines of one page from ``top`` down; those whose index is in ``full`` end at the right edge."""
    out, y = [], top
    for i, text in enumerate(lines):
        if text == "":  # a blank line: a paragraph gap
            y -= gap
            continue
        x1 = RIGHT if i in full else 72 + 5.5 * len(text)
        out.append(Line(text, 72, x1, y, size, page))
        y -= gap
    return out


def test_wrapped_lines_are_joined_and_the_authors_breaks_kept():
    page = body(0, "The workshop was opened by Ms Ann Lee, Director of the International",
                "Trade Centre, who welcomed the participants.", "", "Speakers:", "Mr Bo Ma, World Bank",
                "Ms Cy Li, ITC", full=(0,))
    assert rebuild([page], [HEIGHT]) == (
        "The workshop was opened by Ms Ann Lee, Director of the International Trade Centre, who welcomed the "
        "participants.\n\nSpeakers:\nMr Bo Ma, World Bank\nMs Cy Li, ITC"
    )


def test_a_word_cut_at_a_line_end_is_mended_and_a_real_hyphen_kept():
    page = body(0, "a note on the inter-", "national trade rules for Kerri-Ann Thorne-", "Babb and for e-",
                "commerce, then a soft hyphen: organi\u00ad", "sation.", full=(0, 1, 2, 3))
    assert rebuild([page], [HEIGHT]) == (
        "a note on the international trade rules for Kerri-Ann Thorne-Babb and for e-commerce, "
        "then a soft hyphen: organisation."
    )


def test_a_hyphenated_word_the_document_spells_with_a_hyphen_keeps_it():
    page = body(0, "cross-border payments matter; small firms face cross-", "border costs.", full=(0,))
    assert rebuild([page], [HEIGHT]) == "cross-border payments matter; small firms face cross-border costs."


def test_running_headers_footers_and_page_numbers_are_dropped():
    pages, heights = [], []
    for n in (1, 2, 3):
        header = [Line(f"WT/MSME/R/52 Page {n} of 3", 72, 300, 760, 9, n - 1)]
        footer = [Line(f"- {n} -", 290, 310, 40, 9, n - 1)]
        pages.append(header + body(n - 1, f"Paragraph {n} is about trade.", "") + footer)
        heights.append(HEIGHT)
    assert rebuild(pages, heights) == "Paragraph 1 is about trade.\n\nParagraph 2 is about trade.\n\n" \
                                      "Paragraph 3 is about trade."


def test_a_title_at_the_top_of_one_page_is_not_a_running_header():
    first = [Line("Informal Working Group on MSMEs", 72, 300, 765, 14, 0), *body(0, "The Group met.")]
    second = body(1, "It met again.")
    assert rebuild([first, second], [HEIGHT, HEIGHT]).startswith("Informal Working Group on MSMEs\n\nThe Group met.")


def test_a_paragraph_goes_on_across_a_page_break_and_its_footnote_follows_it():
    first = [*body(0, "The delegations of twenty economies attended the meeting, which was held in", full=(0,)),
             Line("1 Listed in the annex.", 72, 200, 80, 8, 0)]
    second = [*body(1, "Geneva on 3 May 2022.", top=740), Line("3", 300, 305, 40, 9, 1)]
    assert rebuild([first, second], [HEIGHT, HEIGHT]) == (
        "The delegations of twenty economies attended the meeting, which was held in Geneva on 3 May 2022."
        "\n\n1 Listed in the annex."
    )


def test_bullets_start_their_own_line_and_ligatures_are_spelt_out():
    page = body(0, "Participants included the following organisations of the region and", "• the ﬁrst one",
                "• the oﬃce of trade", full=(0, 1))
    assert rebuild([page], [HEIGHT]) == (
        "Participants included the following organisations of the region and\n• the first one\n• the office of trade"
    )


def test_a_printed_pdf_reads_back_as_paragraphs(tmp_path: Path):
    """End to end through pypdf: positions and sizes come from the content stream itself."""
    def page(n: int, lines: list[str]) -> list[tuple[float, float, float, str]]:
        out = [(72, 760, 9, "Annual report 2024"), (300, 40, 9, str(n))]
        return out + [(72, 720 - 14 * i, 11, text) for i, text in enumerate(lines)]

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(text_pdf([
        page(1, ["The workshop was opened by Ms Ann Lee, Director of the Interna-",
                 "tional Trade Centre, who welcomed the participants from twenty",
                 "economies."]),
        page(2, ["Ms Cy Li of the World Bank closed it."]),
    ]))
    assert read_document(pdf).text == (
        "The workshop was opened by Ms Ann Lee, Director of the International Trade Centre, who welcomed the "
        "participants from twenty economies.\n\nMs Cy Li of the World Bank closed it."
    )
