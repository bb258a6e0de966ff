<?xml version="1.0" encoding="UTF-8"?>
<!--
  The meaning layer, part 1: functions every output format (html/, print/) shares.

  What an ISO date reads like, what a role or a kind of entity is called, which number a note
  carries, which register entry a pointer leads to. Format layers import this file (through
  common/common.xsl) and only decide how things look.

  Parameters (set by Python for each call; all optional so a stylesheet also runs bare):
    $site   a document node built by tei_edition.model.edition (the semantic layer; the whole
            vocabulary is in docs/semantic-layer.md):
              <site>
                <pointer token="person:liu-shaoqi" entity="liu-shaoqi"/>   one per pointer token
                <pointer token="#L00020" document="documents/L00020.html"/>  another document's page
                <unresolved token="#pmb565"/>                      a token that leads nowhere
                <entity id="liu-shaoqi" kind="person" type="" href="persons/liu-shaoqi.html"
                        when="" from="" to="" birth="1898-11-24" death="1969-11-12">
                  <name>Liu Shaoqi</name><name lang="zh-Hans" type="original">刘少奇</name>
                  <idno type="wikidata" url="http://www.wikidata.org/entity/Q…">…</idno>
                </entity> ...
              </site>
            Pointers are resolved by Python (tei_edition.model.index), never by string tricks here.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <!-- $site: what Python knows about the corpus that this page needs (the shape is above and,
       per page, in each entry stylesheet's header); an XML document node built from lxml. -->
  <xsl:param name="site" as="document-node()?" select="()"/>

  <xsl:key name="ed:pointer" match="pointer" use="@token"/>
  <xsl:key name="ed:unresolved" match="unresolved" use="@token"/>
  <xsl:key name="ed:entity" match="entity" use="@id"/>

  <xsl:variable name="ed:months" as="xs:string+"
      select="('January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
               'September', 'October', 'November', 'December')"/>

  <!-- ===== dates ===================================================================== -->

  <!-- "1951-09-09" → "9 September 1951", "1951-09" → "September 1951", "1951" → "1951";
       anything else is returned as written (it is still readable, and never lost). -->
  <xsl:function name="ed:format-date" as="xs:string">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:variable name="p" select="ed:date-parts($iso)"/>
    <xsl:sequence select="if (empty($p)) then string($iso) else ed:date-words($p)"/>
  </xsl:function>

  <!-- The words of a date from its ed:date-parts (not empty): ("1951", "09", "") → "September 1951". -->
  <xsl:function name="ed:date-words" as="xs:string">
    <xsl:param name="p" as="xs:string+"/>
    <xsl:sequence select="string-join(($p[3][. ne ''] ! string(xs:integer(.)),
                                       (for $m in $p[2][. ne ''] return $ed:months[xs:integer($m)]),
                                       ed:year($p[1])), ' ')"/>
  </xsl:function>

  <!-- ("1951", "09", "09"), ("1951", "09", ""), ("1951", "", "") or () when not ISO 8601 -->
  <xsl:function name="ed:date-parts" as="xs:string*">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:variable name="s" select="normalize-space($iso)"/>
    <xsl:variable name="neg" select="starts-with($s, '-')"/>
    <xsl:variable name="d" select="if ($neg) then substring($s, 2) else $s"/>
    <xsl:variable name="n" select="string-length($d)"/>
    <xsl:choose>
      <xsl:when test="$n lt 4 or $n gt 10"/>
      <!-- the usual case without a regular expression (Saxon's take some microseconds each, and
           dates are formatted hundreds of times a page): YYYY, YYYY-MM, YYYY-MM-DD in ASCII digits -->
      <xsl:when test="($n = 4 or $n = 7 or $n = 10)
                      and translate($d, '123456789', '000000000') eq substring('0000-00-00', 1, $n)
                      and ($n = 4 or (substring($d, 6, 2) ge '01' and substring($d, 6, 2) le '12'))
                      and ($n ne 10 or (substring($d, 9, 2) ge '01' and substring($d, 9, 2) le '31'))">
        <xsl:sequence select="(if ($neg) then '-' || substring($d, 1, 4) else substring($d, 1, 4)),
                              substring($d, 6, 2), substring($d, 9, 2)"/>
      </xsl:when>
      <!-- anything else (digits of other scripts match \d too) -->
      <xsl:when test="matches($s, '^-?\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$')">
        <xsl:variable name="t" select="tokenize($d, '-')"/>
        <xsl:sequence select="(if ($neg) then '-' || $t[1] else $t[1]), ($t[2], '')[1], ($t[3], '')[1]"/>
      </xsl:when>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="ed:year" as="xs:string">
    <xsl:param name="y" as="xs:string"/>
    <xsl:sequence select="if (starts-with($y, '-')) then string(xs:integer(substring($y, 2))) || ' BCE'
                          else string(xs:integer($y))"/>
  </xsl:function>

  <!-- A range written compactly: "9–30 September 1951", "9 September – 3 October 1951",
       "1951–1952". One end missing gives the other alone. -->
  <xsl:function name="ed:format-range" as="xs:string">
    <xsl:param name="from" as="xs:string?"/>
    <xsl:param name="to" as="xs:string?"/>
    <xsl:variable name="a" select="ed:date-parts($from)"/>
    <xsl:variable name="b" select="ed:date-parts($to)"/>
    <xsl:choose>
      <xsl:when test="not(normalize-space($to)) or $from = $to">
        <xsl:sequence select="ed:format-date($from)"/>
      </xsl:when>
      <xsl:when test="not(normalize-space($from))">
        <xsl:sequence select="ed:format-date($to)"/>
      </xsl:when>
      <!-- (ed:date-words($b) is ed:format-date($to), its parts already known) -->
      <xsl:when test="count($a) = 3 and count($b) = 3 and $a[1] = $b[1] and $a[2] = $b[2]
                      and $a[3] ne '' and $b[3] ne ''">
        <xsl:sequence select="string(xs:integer($a[3])) || '–' || ed:date-words($b)"/>
      </xsl:when>
      <xsl:when test="count($a) = 3 and count($b) = 3 and $a[1] = $b[1] and $a[2] ne '' and $b[2] ne ''">
        <xsl:sequence select="string-join(($a[3][. ne ''] ! string(xs:integer(.)),
                                           $ed:months[xs:integer($a[2])]), ' ')
                              || ' – ' || ed:date-words($b)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="(if (empty($a)) then string($from) else ed:date-words($a)) || ' – '
                              || (if (empty($b)) then string($to) else ed:date-words($b))"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- The date a TEI dating element stands for (@when, @from/@to, @notBefore/@notAfter). -->
  <xsl:function name="ed:element-date" as="xs:string">
    <xsl:param name="el" as="element()?"/>
    <!-- a value that is not an ISO date is shown as written; it is reported (validation names
         it too, unless the edition's schemas do not check dates) -->
    <xsl:for-each select="$el/(@when, @from, @to, @notBefore, @notAfter)[normalize-space()][empty(ed:date-parts(.))]">
      <xsl:call-template name="ed:report">
        <xsl:with-param name="rule" select="'render-date'"/>
        <xsl:with-param name="text" select="'@' || name() || '=&quot;' || . || '&quot; is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): it is shown as written'"/>
        <xsl:with-param name="hint" select="'write the date as YYYY-MM-DD (or YYYY-MM, YYYY) and keep the wording of the source in the text'"/>
        <xsl:with-param name="node" select="$el"/>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:sequence select="
      if ($el/@when) then ed:format-date($el/@when)
      else if ($el/@from or $el/@to) then ed:format-range($el/@from, $el/@to)
      else if ($el/@notBefore and $el/@notAfter) then 'between ' || ed:format-date($el/@notBefore) || ' and ' || ed:format-date($el/@notAfter)
      else if ($el/@notAfter) then 'by ' || ed:format-date($el/@notAfter)
      else if ($el/@notBefore) then 'after ' || ed:format-date($el/@notBefore)
      else ''"/>
  </xsl:function>

  <!-- Life dates of a person card: "1898–1969", "born 1904", "died 1989". Years only: a card is short. -->
  <xsl:function name="ed:life-dates" as="xs:string">
    <xsl:param name="birth" as="xs:string?"/>
    <xsl:param name="death" as="xs:string?"/>
    <xsl:variable name="b" select="ed:date-parts($birth)[1]"/>
    <xsl:variable name="d" select="ed:date-parts($death)[1]"/>
    <xsl:sequence select="if ($b and $d) then ed:year($b) || '–' || ed:year($d)
                          else if ($b) then 'born ' || ed:year($b)
                          else if ($d) then 'died ' || ed:year($d) else ''"/>
  </xsl:function>

  <!-- ===== labels ===================================================================== -->

  <!-- The role a person or body had at a meeting, as a reader says it. Unknown roles are kept. -->
  <xsl:function name="ed:role-label" as="xs:string">
    <xsl:param name="role" as="xs:string?"/>
    <xsl:sequence select="($ed:role-labels(normalize-space($role)), translate(normalize-space($role), '-_', '  '))[1]"/>
  </xsl:function>
  <!-- (the tables of these functions are global variables: built once per page, not per call) -->
  <xsl:variable name="ed:role-labels" as="map(xs:string, xs:string)" select="map {
      'presided': 'presided', 'attended': 'attended', 'convened': 'convened',
      'speaker': 'speaker', 'author': 'author', 'issuer': 'issued', 'drafted': 'drafted' }"/>

  <!-- The heading a role is listed under in a document's facts (web page and print chapter). -->
  <xsl:function name="ed:role-heading" as="xs:string">
    <xsl:param name="role" as="xs:string"/>
    <xsl:sequence select="($ed:role-headings($role),
                           upper-case(substring(ed:role-label($role), 1, 1)) || substring(ed:role-label($role), 2))[1]"/>
  </xsl:function>
  <xsl:variable name="ed:role-headings" as="map(xs:string, xs:string)" select="map {
      'convened': 'Convened by', 'presided': 'Presided', 'attended': 'Attended', 'speaker': 'Speeches and reports' }"/>

  <!-- The heading of a letter's correspondents: "sent" → Sender, "received" → Addressee. -->
  <xsl:function name="ed:correspondent-heading" as="xs:string">
    <xsl:param name="action" as="xs:string"/>
    <xsl:sequence select="if ($action = 'sent') then 'Sender' else 'Addressee'"/>
  </xsl:function>

  <!-- The headings of a letter's other facts (correspDesc): where and when it was received, when
       it was sent, the previous and next letter (correspContext). -->
  <xsl:function name="ed:letter-heading" as="xs:string">
    <xsl:param name="what" as="xs:string"/>
    <xsl:sequence select="$ed:letter-headings($what)"/>
  </xsl:function>
  <xsl:variable name="ed:letter-headings" as="map(xs:string, xs:string)" select="map {
      'received-place': 'Received at', 'sent-date': 'Date sent', 'received-date': 'Date received',
      'previous': 'Previous letter', 'next': 'Next letter', 'sent': 'Letters from', 'received': 'Letters to' }"/>

  <!-- Kinds of register entries (tei_edition.index.ENTITY_KINDS), singular and plural. -->
  <xsl:function name="ed:kind-label" as="xs:string">
    <xsl:param name="kind" as="xs:string?"/>
    <xsl:param name="plural" as="xs:boolean"/>
    <xsl:variable name="pair" select="$ed:kind-labels($kind)"/>
    <xsl:sequence select="if (exists($pair)) then $pair[if ($plural) then 2 else 1] else string($kind)"/>
  </xsl:function>
  <xsl:variable name="ed:kind-labels" as="map(xs:string, xs:string+)" select="map {
      'person': ('Person', 'Persons'), 'place': ('Place', 'Places'),
      'organisation': ('Organisation', 'Organisations'), 'event': ('Event', 'Events'),
      'document': ('Document', 'Documents and literature') }"/>

  <!-- ===== notes ====================================================================== -->

  <!-- The number a note is shown with: its @n as printed in the source (87, "a"), otherwise
       its position among the notes of the text without @n. -->
  <xsl:function name="ed:note-number" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="if (normalize-space($note/@n)) then normalize-space($note/@n)
                          else string(count($note/preceding::tei:note[not(normalize-space(@n))]
                                             [ancestor::tei:text]) + 1)"/>
  </xsl:function>

  <!-- A stable fragment id for a note: its xml:id, or "note-" and its number. -->
  <xsl:function name="ed:note-id" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="($note/@xml:id, 'note-' || encode-for-uri(ed:note-number($note)))[1]"/>
  </xsl:function>

  <!-- Notes that become footnotes (everything in the text except notes in the header). -->
  <xsl:function name="ed:is-footnote" as="xs:boolean">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="exists($note/ancestor::tei:text) and not($note/ancestor::tei:note)
                          and not($note/@place = ('inline', 'margin-inline'))"/>
  </xsl:function>

  <!-- ===== pointers and entities ========================================================= -->

  <!-- The register entry (a <entity> card of $site) that an element's pointer leads to, or ().
       The first token of @ref, @key or @target that resolves wins. -->
  <xsl:function name="ed:entity" as="element()?">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="ed:entities($el)[1]"/>
  </xsl:function>

  <xsl:function name="ed:entities" as="element()*">
    <xsl:param name="el" as="element()"/>
    <xsl:if test="exists($site)">
      <xsl:for-each select="ed:pointer-tokens($el)">
        <xsl:variable name="p" select="key('ed:pointer', ., $site)[1]"/>
        <xsl:sequence select="$p ! key('ed:entity', @entity, $site)[1]"/>
      </xsl:for-each>
    </xsl:if>
  </xsl:function>

  <!-- The pointer tokens of an element that may lead to a register entry, in order. -->
  <xsl:function name="ed:pointer-tokens" as="xs:string*">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="(tokenize(normalize-space($el/@ref)), normalize-space($el/@key)[.],
                           tokenize(normalize-space($el/@target)))"/>
  </xsl:function>

  <!-- The page (path from the site root) of another document of the edition that an element
       points to, or (): $site's <pointer token document/>. -->
  <xsl:function name="ed:document-page" as="xs:string?">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="(ed:pointer-tokens($el) ! key('ed:pointer', ., $site)[@document]/@document)[1] ! string()"/>
  </xsl:function>

  <!-- True when an element points somewhere inside the edition but the pointer leads nowhere
       (the text is shown plain with a marker). The index decides: $site lists the tokens that
       lead nowhere (<unresolved token/>); @key is an external code, never a pointer. Without
       $site (a stylesheet run alone), a #id that names nothing in the document counts. -->
  <xsl:function name="ed:is-unresolved" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="tokens" select="(tokenize(normalize-space($el/@ref)), tokenize(normalize-space($el/@target)))"/>
    <xsl:sequence select="if (exists($site/site))
                          then exists($tokens[key('ed:unresolved', ., $site)])
                          else (some $t in $tokens[starts-with(., '#')] satisfies
                                    not(root($el)//*[@xml:id = substring($t, 2)]))
                               and empty(ed:entities($el))"/>
  </xsl:function>

  <!-- The main name of a card, and its name in another script (the first name with @lang
       other than the main one). -->
  <xsl:function name="ed:entity-name" as="xs:string">
    <xsl:param name="entity" as="element()"/>
    <xsl:sequence select="string(($entity/name[not(@type) or @type = 'main'], $entity/name, $entity/@id)[1])"/>
  </xsl:function>

  <xsl:function name="ed:entity-original" as="element(name)?">
    <xsl:param name="entity" as="element()"/>
    <xsl:sequence select="$entity/name[@type = 'original'][1]"/>
  </xsl:function>

  <!-- The dates line of a card: life dates for persons, the date or span for events and documents. -->
  <xsl:function name="ed:entity-dates" as="xs:string">
    <xsl:param name="entity" as="element()"/>
    <xsl:sequence select="
      if ($entity/@kind = 'person') then ed:life-dates($entity/@birth, $entity/@death)
      else if ($entity/@when) then ed:format-date($entity/@when)
      else if ($entity/@from or $entity/@to) then ed:format-range($entity/@from, $entity/@to)
      else ''"/>
  </xsl:function>

  <!-- ===== language ==================================================================== -->

  <!-- The language in force at a node (nearest xml:lang), '' when none is declared. -->
  <xsl:function name="ed:lang" as="xs:string">
    <xsl:param name="node" as="node()?"/>
    <xsl:sequence select="string(($node/ancestor-or-self::*/@xml:lang)[last()])"/>
  </xsl:function>

  <!-- True when an element changes the language of its parent: it needs its own lang attribute. -->
  <xsl:function name="ed:changes-lang" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el/@xml:lang) and $el/@xml:lang ne ed:lang($el/..)"/>
  </xsl:function>
</xsl:stylesheet>
