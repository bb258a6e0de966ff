<?xml version="1.0" encoding="UTF-8"?>
<!--
  The meaning layer, part 2: what TEI text elements are, rendered as plain HTML5 elements
  that both the web edition (html/) and the print edition (print/, HTML for WeasyPrint) use.

  Format layers override templates here (higher import precedence) and add the two things that
  differ per medium: references (links vs. page numbers) and notes (footnote list vs. page foot).

  The fallback: any TEI element without a template of its own keeps its text and becomes a
  <span> (or a <div> when it holds blocks) with class "tei-" + its local name, so a corpus
  with elements this edition never used loses no text. For elements this edition knows
  (ed:block-names, ed:plain-names: a classed span or div is their rendering, CSS styles them)
  that is all; any other element is also reported (render-unknown-element, common/report.xsl),
  and an edition's profile may give it a template (docs/xslt.md).

  Modes: the unnamed mode renders the text; ed:label renders a glossary label inside its item.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <!-- The text. TEI elements all have a template (at least the fallback below); an element of
       another namespace inside the TEI keeps its text, as XSLT's built-in rule does. -->
  <xsl:mode on-no-match="text-only-copy" use-accumulators="ed:reference-count"/>
  <!-- Only tei:label is ever applied in this mode: anything else is a bug of ours, said loudly. -->
  <xsl:mode name="ed:label" on-no-match="fail"/>

  <!-- How many elements with a pointer (@ref, @key, @target) there are up to and including this
       one, counted from the TEI element that holds it (or from the start): what
       <xsl:number level="any" count="tei:*[@ref or @key or @target]" from="tei:TEI"/> says,
       counted once for the document instead of once per reference (html/inline.xsl). -->
  <xsl:accumulator name="ed:reference-count" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:*[@ref or @key or @target][not(self::tei:TEI)]" select="$value + 1"/>
    <xsl:accumulator-rule match="tei:TEI" select="if (@ref or @key or @target) then 1 else 0"/>
  </xsl:accumulator>

  <!-- TEI elements that are blocks (HTML flow content that may not sit inside a <p>). -->
  <xsl:variable name="ed:block-names" as="xs:string+" select="(
      'div', 'div1', 'div2', 'div3', 'div4', 'div5', 'div6', 'div7', 'p', 'ab', 'head', 'list',
      'item', 'table', 'row', 'cell', 'lg', 'l', 'sp', 'speaker', 'stage', 'floatingText', 'body',
      'front', 'back', 'group', 'text', 'listBibl', 'listPerson', 'listPlace', 'listOrg',
      'listEvent', 'castList', 'figure', 'figDesc', 'opener', 'closer', 'salute', 'signed',
      'dateline', 'postscript', 'epigraph', 'argument', 'byline', 'docTitle', 'titlePage',
      'titlePart', 'docImprint', 'trailer', 'label', 'quote', 'cit', 'eg', 'egXML', 'divGen',
      'u', 'entry', 'form', 'sense', 'msDesc', 'physDesc', 'objectDesc', 'handDesc', 'supportDesc',
      'layoutDesc', 'layout', 'msContents', 'msItem', 'history', 'origin', 'provenance', 'acquisition',
      'additional', 'adminInfo', 'listWit', 'biblStruct', 'event', 'person', 'place', 'org',
      'address', 'addrLine', 'spGrp', 'camera', 'view', 'set', 'performance', 'prologue', 'epilogue')"/>

  <!-- TEI phrases (and a few containers) whose rendering is the fallback's classed <span>
       (styled by CSS): names, dates, numbers, bibliographic parts, transcription, register
       entries' facts. An element in neither list is reported when it is rendered. -->
  <xsl:variable name="ed:plain-names" as="xs:string+" select="(
      'TEI', 'teiHeader', 'abbr', 'expan', 'sic', 'corr', 'orig', 'reg', 'unclear', 'damage',
      'surplus', 'secl', 'author', 'editor', 'respStmt', 'resp', 'biblScope', 'pubPlace',
      'publisher', 'edition', 'extent', 'series', 'date', 'time', 'persName', 'placeName',
      'orgName', 'name', 'rs', 'roleName', 'forename', 'surname', 'addName', 'genName',
      'nameLink', 'geogName', 'geogFeat', 'settlement', 'region', 'country', 'bloc', 'district',
      'title', 'idno', 'num', 'measure', 'unit', 'term', 'gloss', 'mentioned', 'soCalled',
      'distinct', 'seg', 's', 'w', 'c', 'pc', 'desc', 'geo', 'location', 'birth', 'death',
      'occupation', 'affiliation', 'residence', 'state', 'trait', 'faith', 'nationality',
      'education', 'sex', 'age', 'floruit', 'langKnowledge', 'ref', 'ptr', 'hi', 'emph',
      'foreign', 'q', 'said', 'choice', 'supplied', 'gap', 'del', 'add', 'note', 'lb', 'pb',
      'cb', 'milestone', 'anchor', 'space', 'email', 'street', 'postCode', 'postBox', 'subst',
      'metamark', 'handShift', 'stamp', 'lem', 'rdg', 'witness', 'objectType', 'accMat', 'handNote',
      'msIdentifier', 'repository', 'institution', 'collection', 'altIdentifier', 'support',
      'dimensions', 'height', 'width', 'material', 'watermark', 'condition', 'foliation', 'monogr',
      'analytic', 'imprint', 'addSpan', 'delSpan', 'damageSpan', 'incident')"/>

  <!-- Block names that are only blocks when they stand between blocks (label in a list is
       inline; a quote inside a sentence is inline). -->
  <xsl:variable name="ed:sometimes-inline" as="xs:string+" select="('label', 'quote', 'cit', 'l', 'stage')"/>

  <!-- Does this element render as a block? An element holding a block is a block too, so that
       the HTML never puts a <div> or <ul> inside a <p> or <span>. Notes do not count: they are
       moved out of the text as footnotes. -->
  <xsl:function name="ed:is-block" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="
      if ($el/self::tei:note) then false()
      else if ($ed:block-kind(local-name($el))) then true()
      else ed:holds-block($el)"/>
  </xsl:function>

  <!-- The lists above as maps, looked up once per element (is-block runs in many match
       patterns): true for a block name, false for a name that is sometimes inline, nothing
       for any other name. Built from the variables, so a profile that redefines them is heard. -->
  <xsl:variable name="ed:block-kind" as="map(xs:string, xs:boolean)"
      select="map:merge(($ed:block-names ! map:entry(., true()), $ed:sometimes-inline ! map:entry(., false())),
                        map { 'duplicates': 'use-last' })"/>
  <xsl:variable name="ed:known-names" as="map(xs:string, xs:boolean)"
      select="map:merge(($ed:block-names, $ed:plain-names) ! map:entry(., true()))"/>

  <xsl:function name="ed:holds-block" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="some $c in $el/* satisfies ed:is-block($c)"/>
  </xsl:function>

  <!-- class and lang for an element's HTML counterpart; $extra adds classes. -->
  <xsl:template name="ed:attributes">
    <xsl:param name="extra" as="xs:string*" select="()"/>
    <!-- (written for speed: it runs for almost every element of a text) -->
    <xsl:attribute name="class" select="if (empty(@type | @rend) and empty($extra)) then 'tei-' || local-name()
                                        else string-join(('tei-' || local-name(), @type ! ('type-' || replace(., '\s+', '-')),
                                                          @rend ! tokenize(.) ! ('rend-' || .), $extra), ' ')"/>
    <xsl:if test="@rendition">
      <xsl:for-each select="ed:rendition-style(.)">
        <xsl:attribute name="style" select="."/>
      </xsl:for-each>
    </xsl:if>
    <xsl:if test="@xml:lang and ed:changes-lang(.)">
      <xsl:attribute name="lang" select="@xml:lang"/>
    </xsl:if>
  </xsl:template>

  <!-- ===== the fallback =============================================================== -->

  <xsl:template match="tei:*" priority="-1">
    <xsl:if test="not(map:contains($ed:known-names, local-name()))">
      <xsl:call-template name="ed:report">
        <xsl:with-param name="rule" select="'render-unknown-element'"/>
        <xsl:with-param name="text" select="'&lt;' || local-name() || '&gt; has no rendering of its own: its text is kept, in a '
                                            || (if (ed:is-block(.)) then 'div' else 'span') || ' with class tei-' || local-name()"/>
        <xsl:with-param name="hint" select="'if it should look different, give it a template in the edition''s profile (stylesheet = in [html] or [pdf] of edition.toml; see docs/xslt.md)'"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:element name="{if (ed:is-block(.)) then 'div' else 'span'}">
      <xsl:call-template name="ed:attributes"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- ===== structure ================================================================== -->

  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5">
    <section>
      <xsl:call-template name="ed:attributes">
        <xsl:with-param name="extra" select="@subtype ! ('subtype-' || .)"/>
      </xsl:call-template>
      <xsl:apply-templates/>
    </section>
  </xsl:template>

  <!-- A heading's level follows the nesting of divisions: h2 for the top divisions of a text
       (the page title is the h1), down to h6. -->
  <xsl:template match="tei:head">
    <xsl:variable name="depth" select="count(ancestor::*[self::tei:div or starts-with(local-name(), 'div')
                                                          or self::tei:list or self::tei:table or self::tei:lg
                                                          or self::tei:listBibl or self::tei:figure])"/>
    <!-- a heading that holds blocks (or sits in one) cannot be an HTML heading -->
    <xsl:element name="{if (ed:holds-block(.) or ancestor::tei:head) then 'div' else 'h' || min((max((1, $depth)) + 1, 6))}">
      <xsl:call-template name="ed:attributes"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab">
    <xsl:element name="{if (ed:holds-block(.)) then 'div' else 'p'}">
      <xsl:call-template name="ed:attributes"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- Lists: numbered when the source numbers them (rend="numbered" or items with @n); the
       printed numbers are kept as they are, not recounted. -->
  <xsl:template match="tei:list">
    <!-- a head before the items heads the list; one written after them (TEI puts heads first,
         but the text is kept in its order) follows the list -->
    <xsl:variable name="after" select="tei:head[preceding-sibling::tei:item]"/>
    <xsl:apply-templates select="tei:head except $after"/>
    <xsl:variable name="numbered" select="@rend = ('numbered', 'ordered') or @type = ('ordered', 'numbered')
                                          or (tei:item and (every $i in tei:item satisfies $i/@n))"/>
    <xsl:element name="{if ($numbered) then 'ol' else 'ul'}">
      <xsl:call-template name="ed:attributes"/>
      <xsl:apply-templates select="node() except tei:head"/>
    </xsl:element>
    <xsl:apply-templates select="$after"/>
  </xsl:template>

  <xsl:template match="tei:list/tei:label[following-sibling::*[1][self::tei:item]]">
    <!-- a TEI glossary label sits before its item; it is shown inside that item -->
  </xsl:template>

  <xsl:template match="tei:list/tei:item">
    <li>
      <xsl:if test="@n castable as xs:integer">
        <xsl:attribute name="value" select="xs:integer(@n)"/>
      </xsl:if>
      <xsl:call-template name="ed:attributes"/>
      <xsl:if test="@n">
        <xsl:attribute name="data-n" select="@n"/>
      </xsl:if>
      <xsl:apply-templates select="preceding-sibling::*[1][self::tei:label]" mode="ed:label"/>
      <xsl:apply-templates/>
    </li>
  </xsl:template>

  <xsl:template match="tei:label" mode="ed:label">
    <span class="tei-label"><xsl:apply-templates/></span>
    <xsl:text> </xsl:text>
  </xsl:template>

  <xsl:template match="tei:lg">
    <div><xsl:call-template name="ed:attributes"/><xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="tei:l">
    <xsl:element name="{if (ed:holds-block(.)) then 'div' else 'span'}">
      <xsl:call-template name="ed:attributes"><xsl:with-param name="extra" select="'line'"/></xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- A table only when it is one: rows of cells (and a head); anything else in it would be
       lost by an HTML table, so such a table falls back to a <div> that keeps everything. -->
  <xsl:function name="ed:is-table" as="xs:boolean">
    <xsl:param name="table" as="element()"/>
    <xsl:sequence select="$table/self::tei:table and $table/tei:row and
                          (every $c in $table/(* | text()[normalize-space()]) satisfies
                            ($c/self::tei:head or $c/self::tei:row[every $d in (* | text()[normalize-space()])
                                                                   satisfies $d/self::tei:cell]))"/>
  </xsl:function>

  <xsl:template match="tei:table[ed:is-table(.)]">
    <table>
      <xsl:call-template name="ed:attributes"/>
      <xsl:if test="tei:head"><caption><xsl:apply-templates select="tei:head/node()"/></caption></xsl:if>
      <tbody><xsl:apply-templates select="tei:row"/></tbody>
    </table>
  </xsl:template>
  <xsl:template match="tei:table/tei:row[ed:is-table(..)]">
    <tr><xsl:call-template name="ed:attributes"/><xsl:apply-templates select="tei:cell"/></tr>
  </xsl:template>
  <xsl:template match="tei:table/tei:row/tei:cell[ed:is-table(../..)]">
    <xsl:element name="{if (@role = 'label' or ../@role = 'label') then 'th' else 'td'}">
      <xsl:if test="@cols"><xsl:attribute name="colspan" select="@cols"/></xsl:if>
      <xsl:if test="@rows"><xsl:attribute name="rowspan" select="@rows"/></xsl:if>
      <xsl:call-template name="ed:attributes"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- ===== phrases ===================================================================== -->

  <!-- Emphasis inside emphasis is a span: italic in italic reads as one run anyway, and HTML
       parsers reshuffle deep stacks of identical <em>/<strong> (the "Noah's Ark" rule). -->
  <xsl:template match="(tei:hi[tokenize(@rend) = ('italic', 'italics', 'i')] | tei:emph | tei:foreign | tei:term[@rend = 'italic'])[not(ed:is-block(.))]">
    <xsl:variable name="nested" select="exists(ancestor::*[self::tei:hi[tokenize(@rend) = ('italic', 'italics', 'i')]
      or self::tei:emph or self::tei:foreign or self::tei:term[@rend = 'italic']])"/>
    <xsl:element name="{if ($nested) then 'span' else 'em'}">
      <xsl:call-template name="ed:attributes"/><xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:hi[tokenize(@rend) = ('bold', 'b', 'strong')][not(ed:is-block(.))]">
    <xsl:variable name="nested" select="exists(ancestor::tei:hi[tokenize(@rend) = ('bold', 'b', 'strong')])"/>
    <xsl:element name="{if ($nested) then 'span' else 'strong'}">
      <xsl:call-template name="ed:attributes"/><xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:hi[tokenize(@rend) = ('sup', 'superscript')][not(ed:is-block(.))]">
    <sup><xsl:call-template name="ed:attributes"/><xsl:apply-templates/></sup>
  </xsl:template>

  <xsl:template match="tei:hi[tokenize(@rend) = ('sub', 'subscript')][not(ed:is-block(.))]">
    <sub><xsl:call-template name="ed:attributes"/><xsl:apply-templates/></sub>
  </xsl:template>

  <!-- Quotations inside a sentence: the quote marks the TEI leaves out are supplied here. -->
  <!-- A source that writes its own marks around the quotation ("„<quote>…</quote>“") gets
       none added (class marked-in-source: CSS sets quotes to none). -->
  <xsl:template match="(tei:q | tei:quote | tei:said)[not(ed:is-block(.))]">
    <xsl:variable name="marks" select="'[„“”&quot;‚‘’''»«›‹]'"/>
    <xsl:variable name="marked" select="matches(string(preceding-sibling::node()[1][self::text()]), $marks || '\s*$')
                                        or matches(normalize-space(.), '^' || $marks)"/>
    <q>
      <xsl:call-template name="ed:attributes">
        <xsl:with-param name="extra" select="if ($marked) then 'marked-in-source' else ()"/>
      </xsl:call-template>
      <xsl:apply-templates/>
    </q>
  </xsl:template>

  <xsl:template match="tei:quote[ed:is-block(.)]">
    <blockquote><xsl:call-template name="ed:attributes"/><xsl:apply-templates/></blockquote>
  </xsl:template>

  <!-- A bibliographic entry keeps the order and wording of its parts; spaces between them are
       the source's own. -->
  <xsl:template match="tei:bibl | tei:biblStruct">
    <xsl:element name="{if (ed:holds-block(.)) then 'div'
                        else if (parent::tei:div or parent::tei:body or parent::tei:listBibl) then 'p' else 'span'}">
      <xsl:call-template name="ed:attributes"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="(tei:title[@level = ('m', 'j', 's')] | tei:bibl/tei:title[not(@level)])[not(ed:is-block(.))]">
    <cite><xsl:call-template name="ed:attributes"/><xsl:apply-templates/></cite>
  </xsl:template>

  <!-- The header and things that are not text are never shown by the text templates. A
       document's back lists (listPerson, listPlace, ... in <back>, every entry with an xml:id)
       are register entries: each has its page in the registers, which the document's names link
       to; in the text they would be a heap of names, dates and identifiers. -->
  <xsl:template match="tei:teiHeader | tei:facsimile | tei:standOff"/>
  <xsl:template match="(tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent | tei:listBibl | tei:listNym
                       | tei:listObject)[ancestor::tei:back][* and (every $e in (* except tei:head) satisfies $e/@xml:id)]"/>
</xsl:stylesheet>
