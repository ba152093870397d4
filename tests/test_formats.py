"""Documents and formats: readers, the mapping of edits to the original, golden documents
of every format, properties (output parses, protected text unchanged, idempotence) and
the sample articles cleaned the same in plain text, JSONL and CSV."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pytest
from formats_helpers import protected, texts
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanup import Engine, InputError, builtin_pack_paths, load_rules
from cleanup.formats import (
    EXTENSIONS,
    FORMATS,
    ReadOptions,
    clean_document,
    detect_format,
    read_document,
)
from cleanup.formats.document import PLACEHOLDER

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "formats"
ROOT = HERE.parent
OPTIONS = ReadOptions(front_matter_keys=("title",))


@functools.cache
def engine() -> Engine:
    return Engine(load_rules(builtin_pack_paths()))


def clean(text: str, fmt: str, options: ReadOptions = OPTIONS, name: str = "doc") -> str:
    result = clean_document(engine(), read_document(text, fmt, name, options))
    assert result.text is not None
    return result.text


# --- golden documents -------------------------------------------------------------------

GOLDEN_INPUTS = sorted(p.name for p in GOLDEN.iterdir() if ".out." not in p.name)


def test_every_format_has_a_golden_document() -> None:
    formats = {detect_format(name) for name in GOLDEN_INPUTS}
    assert formats >= set(FORMATS) - {"text"}


@pytest.mark.parametrize("name", GOLDEN_INPUTS)
def test_golden_document(name: str) -> None:
    source = GOLDEN / name
    expected_path = source.with_name(source.stem + ".out" + source.suffix)
    fmt = detect_format(source)
    assert fmt is not None
    original = source.read_bytes().decode("utf-8")
    cleaned = clean(original, fmt)
    expected = expected_path.read_bytes().decode("utf-8")
    assert cleaned == expected, f"{name} differs from {expected_path.name}"
    assert cleaned != original  # every golden document has artifacts to fix
    assert protected(fmt, cleaned) == protected(fmt, original) or fmt in ("srt", "vtt")
    assert clean(cleaned, fmt) == cleaned  # idempotent


@pytest.mark.parametrize("name", GOLDEN_INPUTS)
@pytest.mark.parametrize("variant", ["crlf", "bom"])
def test_golden_document_with_crlf_line_ends_or_a_bom_is_cleaned_alike(
    name: str, variant: str
) -> None:
    fmt = detect_format(name)
    assert fmt is not None
    original = (GOLDEN / name).read_bytes().decode("utf-8").replace("\r\n", "\n")
    expected = clean(original, fmt)
    if variant == "crlf":
        assert clean(original.replace("\n", "\r\n"), fmt) == expected.replace("\n", "\r\n")
    else:
        assert clean("\ufeff" + original, fmt) == "\ufeff" + expected


def test_golden_artifacts_of_the_issue_are_fixed_and_protected_text_kept() -> None:
    md = (GOLDEN / "article.out.md").read_text(encoding="utf-8")
    assert "?town=Gadrut" in md and "print(title , x)" in md
    assert "author: Sergei Lavrov of Gadrut" in md  # not a key named for cleaning
    assert "title: Lavrov on the Karabakh conflict" in md
    page = (GOLDEN / "page.out.html").read_text(encoding="utf-8")
    assert "Dear Prime Minister <b>Pashinyan</b>!" in page
    assert "The Karabakh&nbsp;conflict" in page
    assert '<h1 class="Gadrut" data-town="Gadrut">' in page and "<!DOCTYPE html>" in page
    assert 'var town = "Gadrut"; // the solar conflict' in page
    jsonl = (GOLDEN / "dump.out.jsonl").read_text(encoding="utf-8")
    first = json.loads(jsonl.splitlines()[0])
    assert first["text"].startswith('"We agree," said Lavrov.')
    assert first["tags"] == ["Gadrut", "solar conflict"]
    po = (GOLDEN / "messages.out.po").read_text(encoding="utf-8")
    assert 'msgid "The solar conflict in Gadrut"' in po and '#~ msgstr "Old Gadrut"' in po
    xlf = (GOLDEN / "strings.out.xlf").read_text(encoding="utf-8")
    assert (
        '<trans-unit id="Gadrut-3">\n        <source>Gadrut</source>\n        <target>Gadrut</target>'
        in xlf
    )
    srt = (GOLDEN / "news.out.srt").read_text(encoding="utf-8")
    assert "Read more" not in srt
    assert re.findall(r"^\d+$", srt, re.M) == ["1", "2", "3"]


# --- readers and mapping ----------------------------------------------------------------


def test_detection_by_extension_and_by_name() -> None:
    assert detect_format("a/b.JSONL") == "jsonl"
    assert detect_format("x.xlf") == "xliff"
    assert detect_format("x.bin") is None
    assert detect_format("x.bin", "csv") == "csv"
    assert set(EXTENSIONS.values()) == set(FORMATS)
    with pytest.raises(Exception, match="unknown input format 'yaml'"):
        detect_format("x.txt", "yaml")


def test_plain_text_is_cleaned_as_the_engine_cleans_it() -> None:
    text = "The solar conflict in Gadrut.\r\nRead more\n"
    assert clean(text, "text") == engine().fix_text(text).text


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ('"\\"We agree\\", - said Lavrov"', '"\\"We agree,\\" said Lavrov"'),
        ('"the \\u0073olar conflict"', '"the Karabakh conflict"'),
        ('"line\\nthe solar conflict\\ttab"', '"line\\nthe Karabakh conflict\\ttab"'),
        ('"\\ud83d\\ude00 Gadrut"', '"\\ud83d\\ude00 Hadrut"'),
    ],
)
def test_json_escapes_are_read_and_written_again(field: str, expected: str) -> None:
    text = '{"id": "Gadrut", "text": ' + field + "}\n"
    out = clean(text, "jsonl")
    assert out == '{"id": "Gadrut", "text": ' + expected + "}\n"
    json.loads(out)


def test_a_replacement_that_needs_escaping_is_escaped(engine_for: object) -> None:
    eng = engine_for(  # type: ignore[operator]
        """
        pack: t
        phrases:
          - id: t-quote
            find: [cease-fire mode]
            replace: 'regime "ceasefire" & <more>'
        """
    )
    text = "the cease-fire mode"
    for fmt, doc, expected in [
        ("jsonl", '{"text": "%s"}\n', '{"text": "the regime \\"ceasefire\\" & <more>"}\n'),
        ("html", "<p>%s</p>", '<p>the regime "ceasefire" &amp; &lt;more&gt;</p>'),
        ("csv", "text\n%s\n", 'text\n"the regime ""ceasefire"" & <more>"\n'),
        ("csv", 'text\n"%s"\n', 'text\n"the regime ""ceasefire"" & <more>"\n'),
        (
            "po",
            'msgid "a"\nmsgstr "%s"\n',
            'msgid "a"\nmsgstr "the regime \\"ceasefire\\" & <more>"\n',
        ),
        (
            "xliff",
            "<xliff><trans-unit><source>x</source><target>%s</target></trans-unit></xliff>",
            '<xliff><trans-unit><source>x</source><target>the regime "ceasefire" &amp; &lt;more&gt;</target></trans-unit></xliff>',
        ),
    ]:
        result = clean_document(eng, read_document(doc % text, fmt))
        assert result.text == expected, fmt


def test_a_csv_field_without_quotes_is_quoted_when_the_fix_holds_a_comma(
    engine_for: object,
) -> None:
    eng = engine_for(  # type: ignore[operator]
        """
        pack: t
        phrases:
          - id: t-comma
            find: [cease-fire mode]
            replace: ceasefire, regime
        """
    )
    out = clean_document(eng, read_document("id,text\n1,the cease-fire mode now\n", "csv")).text
    assert out == 'id,text\n1,"the ceasefire, regime now"\n'
    assert list(csv.reader(io.StringIO(out))) == [
        ["id", "text"],
        ["1", "the ceasefire, regime now"],
    ]


def test_html_name_split_by_tags_keeps_the_tags() -> None:
    assert clean("<p>Dear Nikol <b>Vovaevich</b>!</p>", "html") == (
        "<p>Dear Prime Minister <b>Pashinyan</b>!</p>"
    )
    assert clean("<p>Dear <i>Nikol</i> Vovaevich!</p>", "html") == (
        "<p>Dear <i>Prime Minister</i> Pashinyan!</p>"
    )


def test_html_protected_parts_are_not_seen() -> None:
    doc = read_document(
        '<!DOCTYPE html><p class="Gadrut" title="Gadrut">x <code>Gadrut</code> y</p>'
        "<script>Gadrut</script><style>Gadrut</style><pre>Gadrut</pre><!-- Gadrut -->",
        "html",
    )
    assert [s.text for s in doc.segments] == ["Gadrut", f"x {PLACEHOLDER} y"]


def test_markdown_protected_parts_are_not_seen() -> None:
    text = (
        "---\nauthor: Gadrut\ntitle: 'Gadrut news'\n---\n"
        "Go to [Gadrut](http://x/?t=Gadrut) or <http://x/Gadrut> or http://x/Gadrut, `Gadrut`.\n\n"
        "```\nGadrut\n```\n\n    Gadrut code\n\n<p>Gadrut</p>\n\n* a \\*Gadrut\\* &amp; b\n"
    )
    doc = read_document(text, "markdown", options=OPTIONS)
    seen = [s.text for s in doc.segments]
    assert seen == [
        "Gadrut news",
        f"Go to Gadrut or {PLACEHOLDER} or {PLACEHOLDER}, {PLACEHOLDER}.",
        "a *Gadrut* & b",
    ]


def test_po_reads_msgstr_only_and_skips_the_header() -> None:
    text = (
        'msgid ""\nmsgstr "Project-Id-Version: Gadrut\\n"\n\n'
        '#, fuzzy\nmsgid "Gadrut"\nmsgstr ""\n"Gad"\n"rut"\n\n'
        'msgid ""\n"long id"\nmsgstr "Gadrut 2"\n\n'
        'msgid "a"\nmsgid_plural "b"\nmsgstr[0] "Gadrut a"\nmsgstr[1] "Gadrut b"\n'
    )
    doc = read_document(text, "po")
    assert [(s.key, s.text) for s in doc.segments] == [
        ("msgstr", "Gadrut"),
        ("msgstr", "Gadrut 2"),
        ("msgstr[0]", "Gadrut a"),
        ("msgstr[1]", "Gadrut b"),
    ]


def test_a_subtitle_cue_emptied_is_removed_and_the_rest_renumbered() -> None:
    srt = "1\r\n00:00:01,000 --> 00:00:02,000\r\nRead more\r\n\r\n2\r\n00:00:02,000 --> 00:00:03,000\r\nGadrut\r\n"
    assert clean(srt, "srt") == "1\r\n00:00:02,000 --> 00:00:03,000\r\nHadrut\r\n"


def test_a_subtitle_line_left_blank_goes_with_its_line_break() -> None:
    vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\nRead more\nGadrut\n\n00:02.000 --> 00:03.000\nGadrut\nRead more\n"
    result = clean_document(engine(), read_document(vtt, "vtt"))
    assert (
        result.text
        == "WEBVTT\n\n00:01.000 --> 00:02.000\nHadrut\n\n00:02.000 --> 00:03.000\nHadrut\n"
    )
    removals = [f for f in result.findings if f.edit.rule_id.startswith("scraping.page-chrome")]
    assert [f.status.value for f in removals] == ["applied", "applied"]


@pytest.mark.parametrize(
    ("fmt", "text", "where", "what"),
    [
        ("jsonl", '{"text": "a"}\n{"text": "b"}\n{"text": "c",}\n', "bad:3:14", "not valid JSON"),
        ("json", '{\n  "text": "a"\n  "b": 1}', "bad:3:3", "not valid JSON"),
        ("csv", 'id,text\n1,"open\n2,x\n', "bad:2:3", "unterminated quoted field"),
        ("csv", 'id,text\n1,"a"b\n', "bad:2:6", "text after the closing quote"),
        ("csv", "id,body\n1,x\n", "bad:1:1", "no column named text"),
        ("xliff", "<xliff>\n<target>a</source>\n</xliff>", "bad:2:12", "malformed XML"),
        ("po", 'msgid "a"\nmsgstr "b\n', "bad:", "unterminated string"),
        ("vtt", "00:01.000 --> 00:02.000\nhi\n", "bad:1:1", "not WebVTT"),
        ("srt", "1\nhello\n", "bad:1:1", "without a timing line"),
    ],
)
def test_bad_structured_input_names_file_line_and_column(
    fmt: str, text: str, where: str, what: str
) -> None:
    with pytest.raises(InputError) as info:
        read_document(text, fmt, "bad")
    assert info.value.where.startswith(where), info.value.where
    assert what in info.value.message


def test_records_are_texts_of_their_own_and_edits_stay_in_their_segment() -> None:
    # The phrase is split between two records: neither half is a calque alone.
    doc = read_document('{"text": "the three-sided"}\n{"text": "statement"}\n', "jsonl")
    assert len(doc.views()) == 2
    result = clean_document(engine(), doc)
    assert result.text == doc.text and not result.changed
    # Within one record, the text of another field is not part of the phrase either.
    doc = read_document('{"text": "the three-sided", "title": "statement"}\n', "jsonl")
    assert clean_document(engine(), doc).text == doc.text
    # A paragraph repeated in the next row is not "a repeated title" to remove.
    rows = "id,text\n1,The Lachin corridor\n2,The Lachin corridor\n"
    assert clean(rows, "csv") == rows


# --- properties -------------------------------------------------------------------------

WORDS = [
    "Gadrut", "the solar conflict", "Nikol Vovaevich", "Dear Nikol Vovaevich!", "Read more",
    "three-sided statement", "cease-fire mode", '"We agree", - said Lavrov', "Sergei Lavrov",
    "the the", " ,", "all on all", "lasting world", "Lavrova", "Lachinsky corridor",
    "a", "news", "\n", "  ", "\t", '"', "\\", "&", "<", ">", ",", ";", "'", "Зелен", "é", "😀",
    "http://x.org/?town=Gadrut", "10573_1", "date 2023-01-17",
]  # fmt: skip
phrases = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
many = st.lists(phrases, min_size=1, max_size=4)


def _jsonl(items: list[str]) -> str:
    return "".join(
        json.dumps(
            {"id": f"Gadrut-{i}", "text": t, "url": "http://x/?Gadrut"}, ensure_ascii=i % 2 == 0
        )
        + "\n"
        for i, t in enumerate(items)
    )


def _csv(items: list[str], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["id", "text", "source"])
    for i, t in enumerate(items):
        writer.writerow([f"Gadrut-{i}", t, "the solar conflict"])
    return out.getvalue()


def _po_escape(t: str) -> str:
    return t.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def _po(items: list[str]) -> str:
    out = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n'
    for i, t in enumerate(items):
        out += f'\n#: Gadrut.py:{i}\nmsgid "Gadrut {i} {_po_escape(t)}"\nmsgstr ""\n"{_po_escape(t)}"\n'
    return out


def _xliff(items: list[str]) -> str:
    units = "".join(
        f'<trans-unit id="Gadrut-{i}"><source>{xml_escape(t)}</source>'
        f'<target>{xml_escape(t[:3])}<g id="g{i}">{xml_escape(t[3:])}</g> Gadrut</target></trans-unit>\n'
        for i, t in enumerate(items)
    )
    return f'<?xml version="1.0"?>\n<xliff version="1.2"><file original="Gadrut"><body>\n{units}</body></file></xliff>\n'


def _html(items: list[str]) -> str:
    """Paragraphs whose text inline tags cut at a word, with protected parts around."""
    body = []
    for i, t in enumerate(items):
        words = [xml_escape(w) for w in t.split(" ")]
        k = i % len(words)
        tag = ["b", "i", 'a href="http://x/?t=Gadrut"', "span class=Gadrut", "code"][i % 5]
        words[k] = f"<{tag}>{words[k]}</{tag.split()[0]}>"
        title = xml_escape(t, {chr(34): "&quot;"})
        body.append(
            f'<p class="Gadrut">{" ".join(words)} <b title="{title}">Gadrut</b></p>\n'
            f'<script>"{i} Gadrut"</script><pre>Gadrut {i}</pre>\n'
        )
    return f"<!DOCTYPE html>\n<html><body>\n{''.join(body)}</body></html>\n"


def _markdown(items: list[str]) -> str:
    """Blocks of every kind, with inline markup cutting the text at its words."""
    blocks = [
        "---\ntitle: "
        + (re.sub(r"[^\w ]", " ", items[0]).strip() or "x")
        + "\nauthor: Gadrut\n---\n"
    ]
    for i, t in enumerate(items):
        safe = re.sub(r"[\\`*_\[\]<>#|&!-]", " ", t).replace("\n", " ").strip() or "x"
        words = safe.split()
        k = i % len(words)
        words[k] = ["*{}*", "**{}**", "[{}](http://x/?t=Gadrut)", "<b>{}</b>", "`{}`"][
            i % 5
        ].format(words[k])
        line = " ".join(words)
        block = [
            f"# {line}",
            f"- {line}\n- Gadrut",
            f"> {line}\n> more",
            f"| a | b |\n|---|---|\n| {line} | Gadrut |",
            line,
        ][i % 5]
        blocks.append(
            f"{block} [Gadrut](http://x/?t=Gadrut{i}) `solar conflict {i}`\n\n```\nGadrut {i}\n```\n"
        )
    return "\n".join(blocks)


def _srt(items: list[str]) -> str:
    cues = []
    for i, t in enumerate(items):
        body = "\n".join(line for line in t.replace("\r", "").split("\n") if line.strip()) or "x"
        cues.append(f"{i + 1}\n00:00:{i:02d},000 --> 00:00:{i:02d},500\n{body}\n")
    return "\n".join(cues)


BUILDERS = {
    "jsonl": _jsonl,
    "csv": _csv,
    "tsv": lambda items: _csv([t.replace("\t", " ") for t in items], "\t"),
    "po": _po,
    "xliff": _xliff,
    "html": _html,
    "markdown": _markdown,
    "srt": _srt,
    "json": lambda items: json.dumps(
        {"id": "Gadrut", "text": items, "more": {"text": items[0], "url": "Gadrut"}}
    ),
    "vtt": lambda items: "WEBVTT\n\n" + _srt(items).replace(",000", ".000").replace(",500", ".500"),
}


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
@settings(max_examples=int(os.environ.get("FORMATS_EXAMPLES", "40")), deadline=None)
@given(items=many)
def test_output_parses_keeps_protected_text_and_is_idempotent(fmt: str, items: list[str]) -> None:
    original = BUILDERS[fmt](items)
    cleaned = clean(original, fmt)
    if fmt in ("srt", "vtt"):  # cues may go; the timings left are the original's, in order
        left = protected(fmt, cleaned)
        it = iter(protected(fmt, original))
        assert all(t in it for t in left)
        read_document(cleaned, fmt)
    else:
        assert protected(fmt, cleaned) == protected(fmt, original)
    # Idempotent wherever the engine is on the texts it saw (some rule combinations are
    # not, in plain text too: tests/test_properties.py lists them).
    views = [v.text for v in read_document(cleaned, fmt, options=OPTIONS).views()]
    if all(engine().fix_text(v).text == v for v in views):
        assert clean(cleaned, fmt) == cleaned


# --- the sample articles in other forms ---------------------------------------------------

SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


@pytest.mark.parametrize("sample", [p.name for p in SAMPLES])
def test_samples_as_jsonl_and_csv_get_the_same_edits_as_plain_text(sample: str) -> None:
    text = (ROOT / "samples" / sample).read_text(encoding="utf-8")
    plain = engine().fix_text(text)
    plain_edits = [
        (f.edit.rule_id, f.edit.original, f.edit.replacement, f.status) for f in plain.findings
    ]
    assert plain.changed
    for fmt, doc in [
        ("jsonl", json.dumps({"id": sample, "text": text}) + "\n"),
        ("csv", _csv([text])),
    ]:
        result = clean_document(engine(), read_document(doc, fmt, sample))
        assert result.text is not None
        assert texts(fmt, result.text) == [plain.text], fmt
        # The same rules fired on the same text, in the same order.
        (view_text,) = [v.text for v in read_document(doc, fmt).views()]
        view = engine().fix_text(view_text)
        assert [
            (f.edit.rule_id, f.edit.original, f.edit.replacement, f.status) for f in view.findings
        ] == plain_edits
        assert [f.edit.rule_id for f in result.findings] == [f.edit.rule_id for f in plain.findings]


# --- inputs of a run ----------------------------------------------------------------------


def test_folders_give_every_supported_type_and_count_what_they_skip(tmp_path: Path) -> None:
    from cleanup.formats.inputs import InputOptions, describe_skipped, walk_inputs

    for name in ["a.txt", "b.md", "c.jsonl", "d.csv", "e.po", "f.xlf", "g.srt", "h.vtt", "i.html",
                 "j.json", "k.tsv", "notes.pdf", "x/y.docx", "x/z.txt", ".hidden/h.txt"]:  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found, skipped = walk_inputs(tmp_path, InputOptions())
    names = [p.relative_to(tmp_path).as_posix() for p in found]
    assert names == ["a.txt", "b.md", "c.jsonl", "d.csv", "e.po", "f.xlf", "g.srt", "h.vtt",
                     "i.html", "j.json", "k.tsv", "x/z.txt"]  # fmt: skip
    assert describe_skipped(skipped) == "skipped 2 files in folders: 2 not a supported type"
    found, skipped = walk_inputs(
        tmp_path, InputOptions(include=("*.txt", "*.md"), exclude=("x/*",))
    )
    assert [p.name for p in found] == ["a.txt", "b.md"]
    assert skipped == {
        "excluded by --exclude": 2,
        "not matched by --include": 9,
        "not a supported type": 1,
    }
    assert InputOptions().format_of(Path("notes.log")) == "text"
    assert InputOptions(input_format="jsonl").format_of(Path("notes.log")) == "jsonl"
