"""The description of a document's source: its manuscript (msDesc), witnesses (listWit) and hands (handNote).

One rule per fact, read once from the tree (JSON-able, kept in the index's facts like
model/facts.py's), so that the web page and the print chapter describe the source alike:

- fields: every part of an `msDesc` of the sourceDesc that says something, in document order, as
  [name, text, witness]: repository, settlement, institution, collection, shelfmark
  (msIdentifier/idno), object (objectType: its text, else its @corresp/@ref code), extent (its text,
  else its measures "1 blatt, 1 seite"), support, condition, accompanying (accMat), additions,
  provenance, contents (msContents), decoration, seals, binding, description (a p of msDesc) ...; `witness` is the xml:id of the witness the part describes (an enclosing `witness`,
  or the part's @source), "" when it describes the whole source;
- witnesses: every `witness` of a listWit in the sourceDesc, in order, as {id, siglum, text,
  facs}. The siglum is the witness's `abbr[@type='siglum']`, else `idno[@type='siglum']`, else
  its @n, else a letter by position (A, B, C ...);
- hands: every `handNote` of the header (handDesc or handNotes), as {id, siglum, text, medium,
  script, scribe, scribe_tokens, witness}: siglum @n, else H1, H2 ... by position; `text` its own
  words; medium and script (@medium, @script, @style) with "_" and "-" read as spaces; the scribe
  as written (@scribe) and the pointers to the scribe's register entry (@scribeRef, @corresp).
"""

from __future__ import annotations

from lxml import etree

from tei_edition.model.facts import T, text_of

SOURCE_DESC = f"{T}teiHeader/{T}fileDesc/{T}sourceDesc"
# element → field name (what functions.xsl labels "Repository", "Shelfmark" ...)
FIELDS = {"repository": "repository", "settlement": "settlement", "institution": "institution",
          "collection": "collection", "idno": "shelfmark", "altIdentifier": "shelfmark", "objectType": "object",
          "extent": "extent", "support": "support", "condition": "condition", "accMat": "accompanying",
          "additions": "additions", "provenance": "provenance", "origin": "origin", "acquisition": "acquisition",
          "msContents": "contents", "decoDesc": "decoration", "sealDesc": "seals", "bindingDesc": "binding",
          "typeDesc": "typeface", "scriptDesc": "script", "p": "description"}
# idno only counts inside msIdentifier (an idno elsewhere is not the shelfmark), a p only as a
# description of the whole manuscript or object
ONLY_IN = {"idno": {"msIdentifier"}, "altIdentifier": {"msIdentifier"}, "p": {"msDesc", "physDesc"}}


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _id(token: str | None) -> str:
    """A pointer to an element of the same document ("#x" or a bare "x") as its xml:id."""
    token = (token or "").strip().split(" ")[0] if token else ""
    return token[1:] if token.startswith("#") else ("" if ":" in token or "/" in token else token)


def _words(value: str | None) -> str:
    return " ".join((value or "").replace("_", " ").replace("-", " ").split())


def _field_text(el: etree._Element) -> str:
    parts = [text_of(c) for c in el if isinstance(c.tag, str) and text_of(c)]
    if len(parts) > 1 and not (el.text or "").strip() and not any((c.tail or "").strip() for c in el):
        return "; ".join(parts)  # several parts (incidents, items): one after the other
    text = text_of(el)
    if text:
        return text
    name = _local(el)
    if name == "objectType":
        code = (el.get("corresp") or el.get("ref") or "").strip().rstrip("/")
        return _words(code.rsplit("/", 1)[-1].lstrip("#")) if code else ""
    if name == "extent":
        return ", ".join(f"{m.get('quantity')} {m.get('unit')}".strip() for m in el.iter(f"{T}measure")
                         if m.get("quantity") or m.get("unit"))
    return ""


def _fields(source: etree._Element) -> list[list[str]]:
    found = []
    for ms in source.iter(f"{T}msDesc"):
        holder = next((a for a in ms.iterancestors(f"{T}witness")), None)
        owner = holder.get("{http://www.w3.org/XML/1998/namespace}id", "") if holder is not None else ""
        for el in ms.iter():
            name = _local(el)
            if name not in FIELDS or (name in ONLY_IN and _local(el.getparent()) not in ONLY_IN[name]):
                continue
            if _inside_field(el, ms):
                continue  # a part inside a part (an extent in additions) is said by the outer one
            text = _field_text(el)
            if text:
                found.append([FIELDS[name], text, _id(el.get("source")) or owner])
    return found


def _inside_field(el: etree._Element, ms: etree._Element) -> bool:
    for ancestor in el.iterancestors():
        if ancestor is ms:
            return False
        if _local(ancestor) in FIELDS:
            return True
    return False


def _siglum(witness: etree._Element, position: int) -> str:
    for path in (f"{T}abbr[@type='siglum']", f"{T}idno[@type='siglum']"):
        el = witness.find(path)
        if el is not None and text_of(el):
            return text_of(el)
    if (witness.get("n") or "").strip():
        return witness.get("n").strip()
    letters, n = "", position
    while True:  # A ... Z, AA, AB ...
        letters = chr(ord("A") + n % 26) + letters
        n = n // 26 - 1
        if n < 0:
            return letters


def _witness_text(witness: etree._Element) -> str:
    """The witness's own words, without its siglum and without an msDesc (described as fields)."""
    parts = [witness.text or ""]
    for child in witness:
        if _local(child) not in ("msDesc", "abbr", "idno", "objectType"):
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


def source_description(root: etree._Element) -> dict:
    """{fields, witnesses, hands} of a TEI document (see the module docstring)."""
    source = root.find(SOURCE_DESC)
    xml_id = "{http://www.w3.org/XML/1998/namespace}id"
    result: dict = {"fields": [], "witnesses": [], "hands": []}
    if source is not None:
        result["fields"] = _fields(source)
        for n, witness in enumerate(source.iter(f"{T}witness")):
            result["witnesses"].append({"id": witness.get(xml_id, ""), "siglum": _siglum(witness, n),
                                        "text": _witness_text(witness), "facs": witness.get("facs", "")})
    header = root.find(f"{T}teiHeader")
    if header is not None:
        for n, hand in enumerate(header.iter(f"{T}handNote")):
            holder = next((a for a in hand.iterancestors(f"{T}witness")), None)
            scribe_tokens = [t for t in ((hand.get("scribeRef") or "") + " " + (hand.get("corresp") or "")).split()
                             if t != "#"]
            result["hands"].append({
                "id": hand.get(xml_id, ""), "siglum": (hand.get("n") or "").strip() or f"H{n + 1}",
                "text": text_of(hand), "medium": _words(hand.get("medium")),
                "script": _words(hand.get("script") or hand.get("style")),
                "scribe": " ".join((hand.get("scribe") or "").split()), "scribe_tokens": scribe_tokens,
                "witness": _id(hand.get("source")) or (holder.get(xml_id, "") if holder is not None else "")})
    return result


def source_element(description: dict | None, scribe_entry) -> etree._Element | None:
    """The description as the stylesheets get it, or None when there is nothing to describe:

        <source>
          <field name witness>text</field>*        name: repository, shelfmark, object, ...
          <witness id siglum facs>text</witness>*
          <hand id siglum medium script witness scribe scribe-ref>text</hand>*
        </source>

    `scribe_entry(tokens)` gives the register entry a hand's scribe pointers lead to, as
    (entry id, name), or None; the name then stands for the scribe."""
    if not description or not any(description.values()):
        return None
    out = etree.Element("source")
    for name, text, witness in description["fields"]:
        etree.SubElement(out, "field", {"name": name, **({"witness": witness} if witness else {})}).text = text
    for w in description["witnesses"]:
        etree.SubElement(out, "witness", {k: w[k] for k in ("id", "siglum", "facs") if w[k]}).text = w["text"]
    for h in description["hands"]:
        hand = etree.SubElement(out, "hand", {k: h[k] for k in ("id", "siglum", "medium", "script", "witness") if h[k]})
        entry = scribe_entry(h["scribe_tokens"]) if h["scribe_tokens"] else None
        scribe = entry[1] if entry else h["scribe"]
        if scribe:
            hand.set("scribe", scribe)
        if entry:
            hand.set("scribe-ref", entry[0])
        hand.text = h["text"]
    return out
