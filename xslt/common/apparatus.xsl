<?xml version="1.0" encoding="UTF-8"?>
<!--
  The meaning layer, part 4: witnesses, the apparatus of variant readings, hands, and the
  description of the source, the same on the web and on paper. The format layers
  (html/apparatus.xsl, print/apparatus.xsl) say where each part goes and how a siglum links.

  What they read: $site/site/document/source (model/sources.py):
    <source>
      <field name witness>text</field>*          repository, shelfmark, object ... of msDesc
      <witness id siglum facs>text</witness>*    listWit, with a siglum each
      <hand id siglum medium script witness scribe scribe-ref>text</hand>*   handNote
    </source>

  - app: the reading shown (lem, else the first rdg) stays in the text, followed by the call of
    its apparatus entry (named template ed:app-call: a link on the web, a footnote on paper).
    The entry (ed:apparatus-entry) reads "lemma] A; other reading B": the lemma (shortened
    "first … last" when long; "—" when the shown reading is empty), then each reading with
    the sigla of its witnesses (@wit); an empty reading is "om." (omitted). Line breaks inside a
    reading read " | ".
  - Entries are keyed by the number of their unit: the outermost paragraph-like element
    (ed:unit-names) that holds the app, counted through the text (ed:unit-number).
  - @hand, handShift/@new: the text is marked with the hand's siglum (ed:hand-mark).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <!-- A reading of the apparatus as rendered, with its line breaks as " | ". -->
  <xsl:mode name="ed:flatten" on-no-match="shallow-copy"/>

  <xsl:variable name="ed:source-facts" as="element(source)?" select="($site/site/document/source)[1]"/>

  <!-- Paragraph-like elements: an apparatus entry is keyed by the outermost one that holds it. -->
  <xsl:variable name="ed:unit-names" as="xs:string+" select="('p', 'ab', 'l', 'head', 'item', 'cell',
      'opener', 'closer', 'salute', 'signed', 'dateline', 'postscript', 'byline', 'trailer')"/>
  <!-- the same as a map: html/apparatus.xsl's match pattern tries every element of a text -->
  <xsl:variable name="ed:unit-name-map" as="map(xs:string, xs:boolean)"
      select="map:merge($ed:unit-names ! map:entry(., true()))"/>

  <xsl:function name="ed:is-unit" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="local-name($el) = $ed:unit-names and exists($el/ancestor::tei:text)
                          and not($el/ancestor::*[local-name() = $ed:unit-names]) and not($el/ancestor::tei:note)"/>
  </xsl:function>

  <xsl:function name="ed:app-unit" as="element()?">
    <xsl:param name="app" as="element()"/>
    <!-- a note's variants stay in the note: it is printed apart from its paragraph -->
    <xsl:sequence select="if ($app/ancestor::tei:note) then () else $app/ancestor::*[ed:is-unit(.)][1]"/>
  </xsl:function>

  <xsl:function name="ed:unit-number" as="xs:integer">
    <xsl:param name="unit" as="element()"/>
    <xsl:sequence select="count($unit/preceding::*[local-name() = $ed:unit-names][ed:is-unit(.)]) + 1"/>
  </xsl:function>

  <!-- An app's number in its document, and its call: a, b, ... z, aa, ab ... -->
  <xsl:function name="ed:app-number" as="xs:integer">
    <xsl:param name="app" as="element()"/>
    <xsl:sequence select="count($app/preceding::tei:app[tei:lem or tei:rdg]) + count($app/ancestor::tei:app[tei:lem or tei:rdg]) + 1"/>
  </xsl:function>
  <xsl:function name="ed:app-letter" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="(if ($n gt 26) then ed:app-letter(($n - 1) idiv 26) else '')
                          || codepoints-to-string(97 + ($n - 1) mod 26)"/>
  </xsl:function>

  <xsl:function name="ed:pointer-id" as="xs:string">
    <xsl:param name="token" as="xs:string"/>
    <xsl:sequence select="if (starts-with($token, '#')) then substring($token, 2) else $token"/>
  </xsl:function>
  <xsl:function name="ed:witness" as="element(witness)?">
    <xsl:param name="token" as="xs:string"/>
    <xsl:sequence select="$ed:source-facts/witness[@id = ed:pointer-id($token)][1]"/>
  </xsl:function>
  <xsl:function name="ed:hand" as="element(hand)?">
    <xsl:param name="token" as="xs:string"/>
    <xsl:sequence select="$ed:source-facts/hand[@id = ed:pointer-id($token)][1]"/>
  </xsl:function>

  <!-- "Object", "Shelfmark" ...: the label of a field of the description. -->
  <xsl:function name="ed:source-heading" as="xs:string">
    <xsl:param name="name" as="xs:string"/>
    <xsl:sequence select="(map {'repository': 'Repository', 'settlement': 'Place', 'institution': 'Institution',
        'collection': 'Collection', 'shelfmark': 'Shelfmark', 'object': 'Object type', 'extent': 'Extent',
        'support': 'Material', 'condition': 'Condition', 'accompanying': 'Accompanying material',
        'additions': 'Additions', 'provenance': 'Provenance', 'origin': 'Origin'}($name), $name)[1]"/>
  </xsl:function>

  <!-- What a hand is: "Oskar Samek, black ink, in witness B" (its own words first). -->
  <xsl:function name="ed:hand-description" as="xs:string">
    <xsl:param name="hand" as="element(hand)"/>
    <xsl:variable name="witness" select="$hand/@witness ! ed:witness(.)"/>
    <xsl:sequence select="string-join(($hand/text()[normalize-space()] ! normalize-space(), $hand/@scribe,
        $hand/@medium, $hand/@script, $witness ! ('in witness ' || @siglum)), ', ')"/>
  </xsl:function>

  <!-- What a witness is: its own words, the fields that describe it and the hands in it. -->
  <xsl:function name="ed:witness-description" as="xs:string">
    <xsl:param name="witness" as="element(witness)"/>
    <xsl:variable name="fields" select="$witness/../field[@witness = $witness/@id]"/>
    <xsl:variable name="hands" select="$witness/../hand[@witness = $witness/@id]"/>
    <xsl:sequence select="string-join(($witness/text()[normalize-space()] ! normalize-space(),
        $fields ! (ed:source-heading(@name) || ': ' || .),
        if ($hands) then 'hands: ' || string-join($hands/@siglum, ', ') else ()), '; ')"/>
  </xsl:function>

  <!-- ===== the text ===================================================================== -->

  <!-- The reading shown, then the call of its apparatus entry. -->
  <xsl:template match="tei:app[tei:lem or tei:rdg]" priority="1">
    <xsl:element name="{if (ed:is-block(.)) then 'div' else 'span'}">
      <xsl:call-template name="ed:attributes"><xsl:with-param name="extra" select="'app'"/></xsl:call-template>
      <xsl:apply-templates select="(tei:lem, tei:rdg)[1]"/>
      <xsl:call-template name="ed:app-call"/>
    </xsl:element>
  </xsl:template>

  <!-- An app without a lem or rdg of its own (empty, or readings only in groups): its content. -->
  <xsl:template match="tei:app" priority="0.5">
    <span><xsl:call-template name="ed:attributes"/><xsl:apply-templates/></span>
  </xsl:template>

  <!-- Where the entry goes: here, in brackets, unless the format layer puts it elsewhere (a
       document's web page below the paragraph, its print chapter at the foot of the page). -->
  <xsl:template name="ed:app-call">
    <span class="apparatus-inline"> [<xsl:call-template name="ed:apparatus-entry"/>]</span>
  </xsl:template>

  <!-- The entry of the current app: "lemma] A; reading B". -->
  <xsl:template name="ed:apparatus-entry">
    <xsl:variable name="lemma" select="(tei:lem, tei:rdg)[1]"/>
    <!-- its own words: not those of a nested app's other readings or of notes -->
    <xsl:variable name="words" select="tokenize(normalize-space(string-join($lemma//text()[empty(ancestor::*
        [self::tei:rdg or self::tei:rdgGrp or self::tei:note or self::tei:witDetail][. >> $lemma])], ' ')))"/>
    <span class="app-lemma">
      <xsl:value-of select="if (empty($words)) then '—' else if (count($words) le 4) then string-join($words, ' ')
                            else $words[1] || ' … ' || $words[last()]"/>
    </span>
    <xsl:text>] </xsl:text>
    <!-- the lemma's witnesses (when it names any), then each other reading with its witnesses -->
    <xsl:for-each select="$lemma[@wit or @hand], (tei:rdg, tei:rdgGrp/tei:rdg) except $lemma">
      <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
      <xsl:if test="not(. is $lemma)">
        <span class="app-reading">
          <xsl:choose>
            <xsl:when test="normalize-space(.)">
              <xsl:variable name="html"><xsl:apply-templates/></xsl:variable>
              <xsl:apply-templates select="$html" mode="ed:flatten"/>
            </xsl:when>
            <xsl:otherwise><span class="app-omitted" title="omitted">om.</span></xsl:otherwise>
          </xsl:choose>
        </span>
        <xsl:text> </xsl:text>
      </xsl:if>
      <xsl:call-template name="ed:sigla"><xsl:with-param name="tokens" select="tokenize(@wit)"/></xsl:call-template>
      <xsl:for-each select="tokenize(@hand)">
        <xsl:text> </xsl:text>
        <xsl:call-template name="ed:hand-mark"><xsl:with-param name="token" select="."/></xsl:call-template>
      </xsl:for-each>
    </xsl:for-each>
    <xsl:apply-templates select="tei:note, tei:witDetail"/>
  </xsl:template>

  <xsl:template match="text()" mode="ed:flatten"><xsl:value-of select="replace(., '\s+', ' ')"/></xsl:template>
  <!-- blocks of a reading (its paragraphs) run on, one after the other -->
  <xsl:template match="*:p | *:div | *:blockquote | *:ul | *:ol | *:li | *:section | *:h2 | *:h3 | *:h4 | *:h5 | *:h6"
                mode="ed:flatten">
    <span><xsl:apply-templates select="@*, node()" mode="ed:flatten"/></span><xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="*:br" mode="ed:flatten"><xsl:text> | </xsl:text></xsl:template>
  <xsl:template match="*[contains-token(@class, 'lb-hyphen')]" mode="ed:flatten"><xsl:text>-</xsl:text></xsl:template>

  <xsl:template name="ed:sigla">
    <xsl:param name="tokens" as="xs:string*"/>
    <xsl:for-each select="$tokens">
      <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
      <xsl:call-template name="ed:siglum"><xsl:with-param name="token" select="."/></xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <!-- A witness's siglum (the format layers make it a link); a pointer to no witness as written. -->
  <xsl:template name="ed:siglum">
    <xsl:param name="token" as="xs:string"/>
    <xsl:variable name="witness" select="ed:witness($token)"/>
    <span class="siglum{if ($witness) then '' else ' unknown'}">
      <xsl:value-of select="($witness/@siglum, ed:pointer-id($token))[1]"/>
    </span>
  </xsl:template>

  <!-- Text in another hand: marked, with the hand's siglum after it. -->
  <xsl:template match="tei:text//tei:*[@hand][not(self::tei:handShift or self::tei:app or self::tei:rdg)]" priority="2.5">
    <xsl:element name="{if (ed:is-block(.)) then 'div' else 'span'}">
      <xsl:attribute name="class" select="string-join(('in-hand',
          tokenize(@hand)[1] ! ed:hand(.) ! ('hand-' || (count(preceding-sibling::hand) mod 6 + 1))), ' ')"/>
      <xsl:next-match/>
      <!-- once: a hand an enclosing element (a reading, an addition) already names is not repeated -->
      <xsl:for-each select="tokenize(@hand)[not(. = current()/ancestor::*/@hand/tokenize(.))]">
        <xsl:call-template name="ed:hand-mark"><xsl:with-param name="token" select="."/></xsl:call-template>
      </xsl:for-each>
    </xsl:element>
  </xsl:template>

  <!-- Where another hand takes over: a mark with its siglum. -->
  <xsl:template match="tei:handShift">
    <span class="hand-shift">
      <!-- without @new (a shift to a hand the header does not describe): the mark alone -->
      <xsl:for-each select="(tokenize(@new), '')[1]">
        <xsl:call-template name="ed:hand-mark">
          <xsl:with-param name="token" select="."/>
          <xsl:with-param name="shift" select="true()"/>
        </xsl:call-template>
      </xsl:for-each>
    </span>
  </xsl:template>

  <xsl:template name="ed:hand-mark">
    <xsl:param name="token" as="xs:string"/>
    <xsl:param name="shift" as="xs:boolean" select="false()"/>
    <xsl:variable name="hand" select="ed:hand($token)"/>
    <span class="hand-siglum">
      <xsl:value-of select="($hand/@siglum, ed:pointer-id($token))[1]"/>
    </span>
  </xsl:template>

  <!-- ===== the description of the source ================================================= -->

  <!-- The id of a witness's or hand's entry in the description ($kind 'witness' or 'hand'). -->
  <xsl:function name="ed:source-anchor" as="xs:string">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="$kind || '-' || $id"/>
  </xsl:function>

  <xsl:variable name="ed:held-at" as="xs:string+" select="('repository', 'institution', 'collection', 'settlement')"/>

  <!-- Repository, shelfmark, object type ...; each witness with its siglum and what describes
       it; each hand with its siglum. -->
  <xsl:template name="ed:source-description">
    <xsl:param name="source" as="element(source)?" select="$ed:source-facts"/>
    <xsl:if test="$source/*">
      <dl class="source-description">
        <xsl:variable name="fields" select="$source/field[not(@witness = ../witness/@id)]"/>
        <!-- where it is kept, in one line: "Wienbibliothek, Wien" -->
        <xsl:variable name="held" select="$fields[@name = $ed:held-at]"/>
        <xsl:if test="$held">
          <dt><xsl:value-of select="ed:source-heading('repository')"/></dt>
          <dd><xsl:value-of select="string-join(for $name in $ed:held-at return $held[@name = $name], ', ')"/></dd>
        </xsl:if>
        <xsl:for-each-group select="$fields except $held" group-by="@name">
          <dt><xsl:value-of select="ed:source-heading(current-grouping-key())"/></dt>
          <dd><xsl:value-of select="string-join(current-group(), '; ')"/></dd>
        </xsl:for-each-group>
        <!-- a witness is listed when it says something or a siglum links to it -->
        <xsl:for-each select="$source/witness[@id or ed:witness-description(.)]">
          <dt class="witness">
            <xsl:if test="@id"><xsl:attribute name="id" select="ed:source-anchor('witness', @id)"/></xsl:if>
            <xsl:text>Witness </xsl:text><span class="siglum"><xsl:value-of select="@siglum"/></span>
          </dt>
          <dd><xsl:value-of select="(ed:witness-description(.)[.], 'no description')[1]"/></dd>
        </xsl:for-each>
        <xsl:for-each select="$source/hand">
          <dt class="hand">
            <xsl:if test="@id"><xsl:attribute name="id" select="ed:source-anchor('hand', @id)"/></xsl:if>
            <xsl:text>Hand </xsl:text>
            <span class="hand-siglum hand-{count(preceding-sibling::hand) mod 6 + 1}"><xsl:value-of select="@siglum"/></span>
          </dt>
          <dd><xsl:value-of select="(ed:hand-description(.)[.], 'no description')[1]"/></dd>
        </xsl:for-each>
      </dl>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
