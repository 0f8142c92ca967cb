"""The answer renderer: lists, tables, links only to the council's pages and domains, `tel:` and
`mailto:` links, sources grouped by page with section fragments and dates."""

from __future__ import annotations

from datetime import date

from chatbot.answer_html import AnswerRenderer, group_sources, page_date
from chatbot.links import LinkPolicy, tel_href
from knowledge.catalogue import PageCatalogue

SITE = "https://www.brackenvale.example"
PERMITS = f"{SITE}/parking/resident-parking-permits"


def catalogue() -> PageCatalogue:
    return PageCatalogue.from_records(
        {
            ("root", "parking/resident-parking-permits.md"): {
                "page_id": "parking/resident-parking-permits.md",
                "title": "Resident parking permits",
                "url": PERMITS,
                "updated": "2026-02-16",
                "service_area": "parking",
                "content_hash": "abc",
                "chunks": [
                    {"section": "What it costs", "anchor": "what-it-costs", "text": "£65 a year"},
                    {"section": "Who can apply", "anchor": "who-can-apply", "text": "Residents."},
                    {
                        "section": "Apply",
                        "anchor": "apply",
                        "text": "You can [apply online](https://forms.brackenvale.example/p).",
                    },
                ],
            },
            ("root", "faq.md"): {
                "page_id": "faq.md",
                "title": "FAQ",
                "url": None,
                "updated": None,
                "service_area": None,
                "content_hash": "def",
                "chunks": [{"section": "Q", "anchor": "q", "text": "A"}],
            },
        }
    )


def renderer(new_tab: bool = False) -> AnswerRenderer:
    cat = catalogue()
    policy = LinkPolicy.for_council(SITE, [], cat.urls())
    return AnswerRenderer(policy, cat.link_labels, new_tab=new_tab)


def test_lists_become_real_lists_under_their_lead_in() -> None:
    html = renderer().html("Prices are:\n- first permit: £65\n- second permit: £110\nThat is all.")
    assert '<p class="govuk-body">Prices are:</p>' in html
    assert '<ul class="govuk-list govuk-list--bullet"><li>first permit: £65</li>' in html
    assert "<li>second permit: £110</li></ul>" in html
    assert html.count("<li>") == 2 and "- first" not in html
    numbered = renderer().html("Steps:\n1. Apply\n2. Pay")
    assert '<ol class="govuk-list govuk-list--number"><li>Apply</li><li>Pay</li></ol>' in numbered


def test_table_rows_become_a_table_with_a_header_row() -> None:
    html = renderer().html("Charges:\n- Band | Charge\n- A | £1,200\n- B | £1,400")
    assert '<table class="govuk-table th-answer-table">' in html
    assert '<th scope="col" class="govuk-table__header">Band</th>' in html
    assert '<th scope="row" class="govuk-table__header">A</th>' in html
    assert '<td class="govuk-table__cell">£1,400</td>' in html


def test_links_from_page_text_keep_their_words_and_only_go_to_the_council() -> None:
    html = renderer().html("You can apply online (https://forms.brackenvale.example/p).")
    assert (
        'You can <a class="govuk-link" href="https://forms.brackenvale.example/p">apply online</a>.'
        in html
    )
    assert "(https://" not in html
    other = renderer().html("Read more (https://evil.example/x) or see https://evil.example/y")
    assert "<a" not in other and "https://evil.example/y" in other
    page = renderer().html(f"See {PERMITS} for details.")
    assert f'<a class="govuk-link" href="{PERMITS}">{PERMITS}</a>' in page
    relative = renderer().html("Use the zone map (/parking/zones).")
    assert 'href="https://www.brackenvale.example/parking/zones"' in relative


def test_never_a_script_link_and_everything_else_escaped() -> None:
    html = renderer().html('Click <b>here</b> (javascript:alert(1)) "quoted" & co')
    assert "javascript:" not in html.split("href")[0] or "href" not in html
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp; co" in html
    assert 'href="javascript' not in html
    policy = LinkPolicy.for_council(SITE)
    for bad in [
        "javascript:alert(1)",
        "data:text/html,x",
        "//evil.example/",
        "https://u:p@www.brackenvale.example/",
    ]:
        assert policy.resolve(bad) is None, bad
    assert policy.resolve("https://news.brackenvale.example/a") is not None  # sub-domain


def test_phone_numbers_and_email_addresses_become_tel_and_mailto_links() -> None:
    html = renderer().html(
        "Call the parking team on 01632 960400 (Monday to Friday)"
        " or email parking@brackenvale.example."
        " In an emergency call 999. Samaritans: 116 123. Gas: 0800 111 999."
    )
    assert '<a class="govuk-link th-phone" href="tel:+441632960400">01632 960400</a>' in html
    assert '<a class="govuk-link" href="mailto:parking@brackenvale.example">' in html
    assert 'href="tel:999">999</a>' in html
    assert 'href="tel:116123">116 123</a>' in html
    assert 'href="tel:+448001119999"' not in html and 'href="tel:+44800111999">0800 111 999' in html
    plain = renderer().html("It costs £999 and 2026 to 2027 prices, band 101.")
    assert "tel:" not in plain
    assert tel_href("+44 1632 960100") == "tel:+441632960100"
    assert tel_href("12345") is None


def test_links_open_in_a_new_tab_inside_the_widget() -> None:
    html = renderer(new_tab=True).html(f"See {PERMITS}.")
    assert 'target="_blank" rel="noopener noreferrer"' in html


def test_sources_are_grouped_by_page_with_section_fragments_and_dates() -> None:
    sources = [
        {
            "title": "Resident parking permits",
            "url": PERMITS,
            "section": "What it costs",
            "page": "parking/resident-parking-permits.md",
        },
        {
            "title": "Resident parking permits",
            "url": PERMITS,
            "section": "Who can apply",
            "page": "parking/resident-parking-permits.md",
        },
        {
            "title": "Resident parking permits",
            "url": PERMITS,
            "section": "What it costs",
            "page": "parking/resident-parking-permits.md",
        },
        {"title": "FAQ", "url": None, "section": "Q", "page": "faq.md"},
        {"title": "Elsewhere", "url": "javascript:alert(1)", "section": "X", "page": "x.md"},
    ]
    pages = group_sources(
        sources, catalogue(), LinkPolicy.for_council(SITE, [], catalogue().urls())
    )
    assert [p.title for p in pages] == ["Resident parking permits", "FAQ", "Elsewhere"]
    permits = pages[0]
    assert permits.updated == date(2026, 2, 16)
    assert [(s.label, s.href) for s in permits.sections] == [
        ("What it costs", f"{PERMITS}#what-it-costs"),
        ("Who can apply", f"{PERMITS}#who-can-apply"),
    ]
    assert pages[1].href is None and pages[1].sections[0].href is None
    assert pages[2].href is None  # never a script link


def test_page_dates() -> None:
    assert page_date("2026-02-16") == date(2026, 2, 16)
    assert page_date("2025-01-10T09:00:00Z") == date(2025, 1, 10)
    assert page_date("last spring") is None and page_date(None) is None


def test_relative_links_a_page_wrote_point_at_that_pages_site() -> None:
    """GOV.UK and most council sites write their own links relative ("(/benefit-cap)"): the
    reply makes them absolute against the quoted page, never the council's own site."""
    from chatbot.links import absolute_links

    text = "It counts towards the benefit cap (/benefit-cap). See (https://example.org/a)."
    page = ["https://www.gov.uk/child-benefit"]
    assert absolute_links(text, page) == (
        "It counts towards the benefit cap (https://www.gov.uk/benefit-cap). "
        "See (https://example.org/a)."
    )
    two_sites = ["https://www.gov.uk/child-benefit", "https://www.brackenvale.example/x"]
    assert absolute_links(text, two_sites) == text  # whose link it is would be a guess
    assert absolute_links(text, [None]) == text
    assert absolute_links("a protocol-relative link (//evil.example/x)", page).endswith(
        "(//evil.example/x)"
    )
