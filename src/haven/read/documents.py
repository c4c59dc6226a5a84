"""Documents to read: plain text, HTML or PDF, with the publisher and publication date found or given.

A :class:`ReadDocument` holds the text every extractor reads and every :class:`Span` points into, so a
proposed record can always show the words it came from.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from haven.errors import InputError
from haven.model import Source
from haven.read.analysis import parse_sentences, tokenize
from haven.read.names import Name, find_names
from haven.read.sentences import split_sentences
from haven.read.spans import Span

if TYPE_CHECKING:
    import spacy.tokens

UNKNOWN_PUBLISHER = "unknown"
SUFFIXES = {".txt": "text", ".text": "text", ".md": "text", ".html": "html", ".htm": "html", ".pdf": "pdf"}

# Publishers recognised in a dateline or a by-line: the words that name them -> the name recorded.
KNOWN_PUBLISHERS: dict[str, str] = {
    "Reuters": "Reuters",
    "AP": "Associated Press",
    "Associated Press": "Associated Press",
    "AFP": "Agence France-Presse",
    "Agence France-Presse": "Agence France-Presse",
    "OCHA": "OCHA",
    "UNHCR": "UNHCR",
    "UNICEF": "UNICEF",
    "WHO": "WHO",
    "Anadolu": "Anadolu Agency",
    "Al Jazeera": "Al Jazeera",
    "BBC": "BBC",
    "Syrian Observatory for Human Rights": "Syrian Observatory for Human Rights",
}


@dataclass
class ReadDocument:
    """A document's text and where it came from, with its sentences and names (by rules) and spaCy's
    analysis of the sentences a reader asks for (computed once, on demand)."""

    text: str
    source: Source
    published_on: date | None
    title: str | None = None
    path: str | None = None
    _sentences: list[Span] | None = field(default=None, init=False, repr=False, compare=False)
    _names: tuple[Name, ...] | None = field(default=None, init=False, repr=False, compare=False)
    _name_starts: list[int] | None = field(default=None, init=False, repr=False, compare=False)
    _sentence_starts: list[int] | None = field(default=None, init=False, repr=False, compare=False)
    _parsed: set[int] = field(default_factory=set, init=False, repr=False, compare=False)
    _doc: spacy.tokens.Doc | None = field(default=None, init=False, repr=False, compare=False)

    def snippet(self, span: Span) -> str:
        """The words a span covers."""
        return self.text[span.start : span.end]

    def sentences(self) -> list[Span]:
        """Sentence spans, found by rules (:mod:`haven.read.sentences`), blank ones left out (cached)."""
        if self._sentences is None:
            self._sentences = split_sentences(self.text)
        return self._sentences

    def names(self) -> tuple[Name, ...]:
        """The proper names in the text, in order (cached)."""
        if self._names is None:
            self._names = find_names(self.text, self.sentences())
        return self._names

    def names_in(self, span: Span) -> list[Name]:
        """The names that start inside ``span``."""
        names = self.names()
        if self._name_starts is None:
            self._name_starts = [name.span.start for name in names]
        first = bisect_left(self._name_starts, span.start)
        return list(names[first : bisect_left(self._name_starts, span.end, first)])

    def analyse(self, sentences: Iterable[Span]) -> spacy.tokens.Doc:
        """Have spaCy tag and parse these sentences (spans from :meth:`sentences`), all not yet done in
        one batch, and return the analysis of the whole text (:meth:`spacy_doc`)."""
        index = {span: i for i, span in enumerate(self.sentences())}
        wanted = sorted({index[span] for span in sentences if span in index} - self._parsed)
        doc = self.spacy_doc()
        if wanted:
            parse_sentences(doc, self.text, [self.sentences()[i] for i in wanted])
            self._parsed.update(wanted)
        return doc

    def spacy_doc(self) -> spacy.tokens.Doc:
        """spaCy's tokens for the whole text, tagged and parsed in the sentences :meth:`analyse` was
        given; ``token.idx`` is an offset into :attr:`text`."""
        if self._doc is None:
            self._doc = tokenize(self.text)
        return self._doc

    def is_analysed(self, span: Span) -> bool:
        """Whether spaCy tagged and parsed the sentence ``span`` starts in."""
        if self._sentence_starts is None:
            self._sentence_starts = [s.start for s in self.sentences()]
        return bisect_right(self._sentence_starts, span.start) - 1 in self._parsed


# --- publication date ---------------------------------------------------------------------------

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DATE_WORDS = (
    rf"(?:\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}"  # 20 February 2020
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}"  # February 20, 2020
    r"|\d{4}-\d{2}-\d{2})"  # 2020-02-20
)
_PUBLISHED = re.compile(
    rf"\b(?:Published|Posted|Updated|Dated|Date|Issued)\s*(?:on|:)?\s*(?:\w+day,?\s+)?({_DATE_WORDS})",
    re.IGNORECASE,
)
# A wire dateline: "IDLIB, Syria, Feb 20 (Reuters) -" or "BEIRUT (AP) — ... 20 February 2020".
_DATELINE_DATE = re.compile(
    rf"^[A-Z][A-Z .,'-]+,[^\n]{{0,40}}?\b((?:{_MONTHS})\.?\s+\d{{1,2}}(?:,?\s+\d{{4}})?)"
)
_ANY_DATE = re.compile(_DATE_WORDS)
_DATELINE_PUBLISHER = re.compile(r"\((Reuters|AP|AFP|Anadolu)\)")
_META_DATES = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
)


def parse_date(text: str, *, relative_to: date | None = None) -> date | None:
    """A date from words ("20 February 2020", "Feb 20", "2020-02-20T09:00Z"), or None.

    A day without a year is the latest such day on or before ``relative_to`` when it is given (else
    in the current year); a month without a day is its first day. Reports write dates in a few plain
    forms, read here directly; anything else goes to dateparser, which reads them the same way but
    costs a thousand times more.
    """
    text = text.strip()
    iso = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return None
    plain = _plain_date(text, relative_to)
    if plain is not None:
        return plain
    import dateparser

    settings: dict[str, object] = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    if relative_to is not None:
        settings["RELATIVE_BASE"] = datetime(relative_to.year, relative_to.month, relative_to.day)
        settings["PREFER_DATES_FROM"] = "past"
    found = dateparser.parse(text, languages=["en"], settings=settings)
    return found.date() if found else None


_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH_WORD = "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True))
_PLAIN_DATES = (
    re.compile(rf"(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_WORD})\.?(?:,?\s+(?P<year>\d{{4}}))?", re.I),
    re.compile(rf"(?P<month>{_MONTH_WORD})\.?\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>\d{{4}}))?", re.I),
    re.compile(rf"(?P<month>{_MONTH_WORD})\.?,?\s+(?P<year>\d{{4}})", re.I),
)


def _plain_date(text: str, relative_to: date | None) -> date | None:
    """ "20 February 2020", "Feb. 20, 2020", "20 Feb", "February 2020"; None for anything else."""
    for pattern in _PLAIN_DATES:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        month = _MONTH_NUMBERS[match["month"].lower()]
        day = int(match.groupdict().get("day") or 1)
        base = relative_to or date.today()
        try:
            if match["year"]:
                return date(int(match["year"]), month, day)
            found = date(base.year, month, day)
            if relative_to is not None and found > relative_to:
                found = date(base.year - 1, month, day)
            return found
        except ValueError:
            return None  # "30 February": let dateparser say what it makes of it
    return None


def find_published(text: str) -> tuple[date | None, Span | None]:
    """The publication date a document states near its top: "Published 20 Feb 2020", a dateline, a date."""
    head = text[:1500]
    for pattern in (_PUBLISHED, _DATELINE_DATE):
        match = pattern.search(head)
        if match:
            found = parse_date(match[1])
            if found and found.year < 1900 and pattern is _DATELINE_DATE:
                found = None
            if found:
                return found, Span(match.start(1), match.end(1))
    # A full date standing alone on one of the first lines (a UN update's header, a by-line).
    for line_match in re.finditer(r"[^\n]+", text[:600]):
        line = line_match.group()
        date_match = _ANY_DATE.search(line)
        if date_match and len(line.strip()) < 80:
            found = parse_date(date_match.group())
            if found:
                start = line_match.start() + date_match.start()
                return found, Span(start, start + len(date_match.group()))
    return None, None


def find_publisher(text: str) -> str | None:
    """A publisher a document names in its dateline ("(Reuters)") or its first lines ("OCHA")."""
    head = text[:400]
    match = _DATELINE_PUBLISHER.search(head)
    if match:
        return KNOWN_PUBLISHERS[match[1]]
    first = head.split("\n\n", 1)[0]
    for words, name in KNOWN_PUBLISHERS.items():
        if len(words) > 2 and re.search(rf"\b{re.escape(words)}\b", first):
            return name
    return None


# --- building documents ----------------------------------------------------------------------------


def document_from_text(
    text: str,
    *,
    published: date | None = None,
    publisher: str | None = None,
    title: str | None = None,
    url: str | None = None,
    path: str | None = None,
) -> ReadDocument:
    """A document from text; the date and publisher not given are looked for in the text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if published is None:
        published, _ = find_published(text)
    publisher = publisher or find_publisher(text) or UNKNOWN_PUBLISHER
    if title is None:
        first = text.strip().split("\n", 1)[0].strip() if text.strip() else ""
        title = first if 0 < len(first) <= 150 and not first.endswith(".") else None
    source = Source(publisher=publisher, title=title, url=url, published_on=published)
    return ReadDocument(text=text, source=source, published_on=published, title=title, path=path)


def load_document(
    path: str | Path, *, published: date | None = None, publisher: str | None = None
) -> ReadDocument:
    """Read a .txt, .html/.htm or .pdf file."""
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(str(path), "cannot read this kind of file", value=path.suffix, expected=_expected())
    if not path.is_file():
        raise InputError(str(path), "no such file")
    if kind == "pdf":
        text, meta = _pdf_text(path)
    elif kind == "html":
        text, meta = html_text(path.read_text(encoding="utf-8", errors="replace"))
    else:
        text, meta = path.read_text(encoding="utf-8", errors="replace"), {}
    if published is None and meta.get("published"):
        published = parse_date(meta["published"])
    if published is None and meta.get("created") and find_published(text)[0] is None:
        published = parse_date(meta["created"])
    return document_from_text(
        text,
        published=published,
        publisher=publisher or meta.get("publisher"),
        title=meta.get("title"),
        url=meta.get("url"),
        path=str(path),
    )


def load_documents(
    paths: Iterable[str | Path] | str | Path,
    *,
    published: date | None = None,
    publisher: str | None = None,
) -> Iterator[ReadDocument]:
    """Read files, and the readable files in folders (recursively, in name order)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for item in paths:
        item = Path(item)
        if item.is_dir():
            for child in sorted(item.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES:
                    yield load_document(child, published=published, publisher=publisher)
        else:
            yield load_document(item, published=published, publisher=publisher)


def _expected() -> str:
    return ", ".join(sorted(SUFFIXES))


# --- HTML and PDF ---------------------------------------------------------------------------------------

_DROP = ("nav", "header", "footer", "script", "style", "aside", "noscript", "form", "iframe", "svg", "button")
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "th", "figcaption", "pre")
_BOILERPLATE = re.compile(
    r"\b(?:nav|menu|cookie|share|social|related|footer|sidebar|subscribe|advert|promo)", re.IGNORECASE
)


def html_text(html: str) -> tuple[str, dict[str, str]]:
    """The readable text of an HTML page (article or main, without navigation and boilerplate) and its
    metadata: ``title``, ``publisher``, ``published``, ``url`` when the page gives them."""
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(html, "html.parser")
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        if not isinstance(tag, Tag):
            continue
        name = str(tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        content = str(tag.get("content") or "").strip()
        if not name or not content:
            continue
        if name == "og:site_name" or (name == "author" and "publisher" not in meta):
            meta["publisher"] = content
        elif name in {n.lower() for n in _META_DATES} and "published" not in meta:
            meta["published"] = content
        elif name == "og:title":
            meta["title"] = content
        elif name == "og:url":
            meta["url"] = content
    for time_tag in soup.find_all("time"):
        if isinstance(time_tag, Tag) and time_tag.get("datetime") and "published" not in meta:
            meta["published"] = str(time_tag["datetime"])
    if "title" not in meta and soup.title and soup.title.string:
        meta["title"] = soup.title.string.strip()

    for tag in soup.find_all(_DROP):
        if isinstance(tag, Tag):
            tag.decompose()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.attrs is None:
            continue
        marks = " ".join([str(tag.get("id") or ""), *[str(c) for c in tag.get("class") or []]])
        if marks.strip() and _BOILERPLATE.search(marks) and tag.name not in {"body", "main", "article"}:
            tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    blocks: list[str] = []
    if isinstance(root, Tag):
        for block in root.find_all(_BLOCKS):
            if isinstance(block, Tag) and block.find_parent(_BLOCKS) is None:
                words = " ".join(block.get_text(" ", strip=True).split())
                if words:
                    blocks.append(words)
        if not blocks:
            blocks = [" ".join(line.split()) for line in root.get_text("\n").split("\n") if line.strip()]
    return "\n\n".join(blocks), meta


def _pdf_text(path: Path) -> tuple[str, dict[str, str]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError) as error:
        raise InputError(str(path), f"cannot read this PDF: {error}") from error
    meta: dict[str, str] = {}
    info = reader.metadata
    if info is not None:
        if info.title:
            meta["title"] = str(info.title)
        if info.author:
            meta["publisher"] = str(info.author)
        if info.creation_date is not None:
            meta["created"] = info.creation_date.date().isoformat()  # used only if the text has no date
    return "\n\n".join(page.strip() for page in pages if page.strip()), meta
