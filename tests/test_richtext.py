from kliento.core.richtext import render_markdown


def test_markdown_renders_lists_tables_and_links() -> None:
    html = render_markdown(
        "# Rules\n\n- greet\n- offer\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[x](https://e.pl)"
    )
    assert "<h1>Rules</h1>" in html
    assert "<li>greet</li>" in html
    assert "<td>1</td>" in html
    assert 'href="https://e.pl"' in html and "noopener" in html


def test_script_handlers_and_javascript_links_are_removed() -> None:
    html = render_markdown(
        '<script>alert(1)</script><img src=x onerror="alert(2)">'
        "[click](javascript:alert(3)) <b onclick='x()'>bold</b>"
    )
    assert "<script" not in html and "alert(1)" not in html
    assert "onerror" not in html and "<img" not in html
    assert "javascript:" not in html
    assert "onclick" not in html and "<b>bold</b>" in html


def test_empty_text_renders_empty() -> None:
    assert render_markdown("") == ""
