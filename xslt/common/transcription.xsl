<?xml version="1.0" encoding="UTF-8"?>
<!--
  The meaning layer, part 3: how a transcription's phenomena read, the same on the web and on
  paper: line and page breaks, highlighting (@rend and @rendition), spaces, editorial choices and
  variant readings, deletions and additions, and the source description's witnesses and physical
  description. CSS (edition.css, print.css) says how each class looks.

  A second reading (choice; app in apparatus.xsl) is never dropped: the reading shown comes first and the other one
  follows in a span.alternative with its label ("[as written: …]"). Print shows it inline in
  brackets; the web shows it on hover or keyboard focus of the reading, and its title attribute
  names it; screen readers read it in place.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <!-- ===== @rendition: the CSS of the header's tagsDecl, filtered ======================= -->

  <!-- Only these properties of a rendition's CSS reach the page: they change how text looks, never
       where it sits or what it loads. -->
  <xsl:variable name="ed:rendition-properties" as="xs:string+" select="(
      'font-style', 'font-weight', 'font-variant', 'font-variant-caps', 'font-size', 'font-family',
      'text-decoration', 'text-decoration-line', 'text-decoration-style', 'text-transform',
      'letter-spacing', 'word-spacing', 'vertical-align', 'text-align', 'text-indent', 'color')"/>

  <!-- The CSS declarations of the renditions @rendition points to (in this document's tagsDecl,
       scheme css or none), keeping only whitelisted properties whose values are plain words,
       numbers, lengths, colours and quoted names: no url(), no function at all, no escapes. -->
  <xsl:function name="ed:rendition-style" as="xs:string?">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="ids" select="tokenize($el/@rendition)[starts-with(., '#')] ! substring(., 2)"/>
    <xsl:variable name="css" select="root($el)//tei:tagsDecl/tei:rendition[@xml:id = $ids]
                                       [not(@scheme) or @scheme = 'css'] ! string(.)"/>
    <xsl:variable name="declarations" as="xs:string*">
      <xsl:for-each select="$css ! tokenize(., ';')">
        <xsl:variable name="property" select="lower-case(normalize-space(substring-before(., ':')))"/>
        <xsl:variable name="value" select="normalize-space(substring-after(., ':'))"/>
        <xsl:if test="$property = $ed:rendition-properties and matches($value, '^[A-Za-z0-9 .,%#''&quot;-]+$')">
          <xsl:sequence select="$property || ': ' || $value"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="if (exists($declarations)) then string-join($declarations, '; ') else ()"/>
  </xsl:function>

  <!-- ===== breaks ====================================================================== -->

  <!-- A line break starts a new line, except the first one of a block (the block starts one).
       A break inside a word (break="no") shows a hyphen drawn by CSS, so the word stays whole
       in the page's text (search, copying). -->
  <xsl:template match="tei:lb">
    <xsl:variable name="block" select="ancestor::*[local-name() = $ed:block-names or self::tei:note][1]"/>
    <xsl:if test="exists(($block//text()[normalize-space()])[. &lt;&lt; current()])">
      <xsl:if test="@break = 'no' and not(matches(string((preceding::text()[1])), '[\-¬⸗=]\s*$'))">
        <span class="lb-hyphen" aria-hidden="true"/>
      </xsl:if>
      <br/>
    </xsl:if>
    <!-- a word boundary in the page's text too (search, copying): "um<lb/>eine" is two words;
         whitespace after a <br> is not drawn -->
    <xsl:if test="not(@break = 'no')"><xsl:text>&#10;</xsl:text></xsl:if>
    <xsl:apply-templates/>
  </xsl:template>

  <!-- Around a break inside a word the source's indentation is not a space: "Redak⏎  <lb
       break="no"/>teur" is one word. -->
  <xsl:template match="text()[following-sibling::node()[1][self::tei:lb[@break = 'no']]
                              or preceding-sibling::node()[1][self::tei:lb[@break = 'no']]]">
    <xsl:variable name="before" select="exists(following-sibling::node()[1][self::tei:lb[@break = 'no']])"/>
    <xsl:variable name="after" select="exists(preceding-sibling::node()[1][self::tei:lb[@break = 'no']])"/>
    <xsl:variable name="trimmed" select="if ($before) then replace(., '\s+$', '') else string(.)"/>
    <xsl:value-of select="if ($after) then replace($trimmed, '^\s+', '') else $trimmed"/>
  </xsl:template>

  <!-- A page break: its number as printed, or a marker when the source numbers no pages. -->
  <xsl:template match="tei:pb">
    <span class="tei-pb{if (@n) then '' else ' unnumbered'}" title="page break">
      <xsl:if test="@n">[<xsl:value-of select="@n"/>]</xsl:if>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <!-- A space left in the source: a word space at least (words never run together), as wide as
       its quantity of characters; a vertical space is an empty line. -->
  <xsl:template match="tei:space">
    <xsl:choose>
      <xsl:when test="@dim = 'vertical'">
        <br class="tei-space vertical"/>
      </xsl:when>
      <xsl:otherwise>
        <span class="tei-space">
          <xsl:if test="@quantity castable as xs:decimal and xs:decimal(@quantity) gt 1 and xs:decimal(@quantity) le 40">
            <xsl:attribute name="style" select="'padding-right: ' || (xs:decimal(@quantity) - 1) * 0.5 || 'em'"/>
          </xsl:if>
          <xsl:text> </xsl:text>
          <xsl:apply-templates/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== editorial interventions ===================================================== -->

  <xsl:function name="ed:reading-label" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="(map {'sic': 'as written', 'corr': 'corrected', 'orig': 'original', 'reg': 'regularised',
                                'abbr': 'abbreviated', 'expan': 'expanded', 'lem': 'text', 'rdg': 'variant'}
                          (local-name($el)), local-name($el))[1]"/>
  </xsl:function>

  <!-- One reading shown (the editors' choice first), every other one after it, labelled. -->
  <!-- (app: common/apparatus.xsl, an apparatus entry with the witnesses' sigla) -->
  <xsl:template match="tei:choice[* and not(text()[normalize-space()])][not(ed:is-block(.))]">
    <xsl:variable name="shown" select="(tei:lem, tei:corr, tei:reg, tei:expan, tei:sic, tei:orig, tei:abbr, *)[1]"/>
    <xsl:variable name="others" select="(* except $shown)[not(self::tei:note or self::tei:witDetail)]"/>
    <span tabindex="0">
      <xsl:call-template name="ed:attributes">
        <xsl:with-param name="extra" select="'readings'"/>
      </xsl:call-template>
      <xsl:attribute name="title" select="string-join($others ! (ed:reading-label(.) || ': ' ||
                                          (normalize-space(.)[.], 'omitted')[1]), '; ')"/>
      <span class="reading"><xsl:apply-templates select="$shown"/></span>
      <xsl:for-each select="$others">
        <span class="alternative"> [<span class="alternative-label"><xsl:value-of select="ed:reading-label(.)"/>:</span>
          <xsl:text> </xsl:text>
          <xsl:choose>
            <xsl:when test="normalize-space(.)"><xsl:apply-templates select="."/></xsl:when>
            <xsl:otherwise>omitted</xsl:otherwise>
          </xsl:choose>]</span>
      </xsl:for-each>
      <xsl:apply-templates select="(tei:note, tei:witDetail) except $shown"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:gap">
    <span>
      <xsl:call-template name="ed:attributes"/>
      <xsl:attribute name="title" select="string-join(('text omitted', @reason, @quantity ! (. || ' ' || ../@unit)), ', ')"/>
      <xsl:text>[…]</xsl:text>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="tei:supplied[not(ed:is-block(.))]">
    <span><xsl:call-template name="ed:attributes"/>[<xsl:apply-templates/>]</span>
  </xsl:template>

  <xsl:template match="tei:unclear[not(ed:is-block(.))]">
    <span title="{string-join(('unclear reading', @reason), ', ')}">
      <xsl:call-template name="ed:attributes"/><xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="tei:del">
    <del><xsl:call-template name="ed:attributes"/><xsl:apply-templates/></del>
  </xsl:template>

  <xsl:template match="tei:add">
    <ins>
      <xsl:call-template name="ed:attributes">
        <xsl:with-param name="extra" select="@place ! tokenize(.) ! ('place-' || .)"/>
      </xsl:call-template>
      <xsl:apply-templates/>
    </ins>
  </xsl:template>

  <!-- ===== the source description (shown on a document's page) ========================= -->

  <!-- Witnesses: those that say something; a list of bare ids tells a reader nothing. -->
  <xsl:template match="tei:listWit">
    <xsl:if test="tei:witness[normalize-space()]">
      <ul>
        <xsl:call-template name="ed:attributes"/>
        <xsl:for-each select="tei:witness[normalize-space()]">
          <li><xsl:call-template name="ed:attributes"/><xsl:apply-templates/></li>
        </xsl:for-each>
      </ul>
    </xsl:if>
  </xsl:template>

  <!-- A manuscript's description: each part that says something under its label; parts with
       nothing to say (empty elements whose facts are in attributes) are left out. -->
  <xsl:template match="tei:msDesc/* | tei:physDesc/* | tei:physDesc//tei:ab/*">
    <xsl:variable name="label" select="map {'msIdentifier': 'Held at', 'objectType': 'Object', 'objectDesc': 'Object',
        'handDesc': 'Hands', 'accMat': 'Accompanying material', 'msContents': 'Contents', 'history': 'History',
        'additional': 'Further information', 'decoDesc': 'Decoration', 'sealDesc': 'Seals', 'typeDesc': 'Type',
        'scriptDesc': 'Script', 'bindingDesc': 'Binding', 'additions': 'Additions'}(local-name())"/>
    <xsl:if test="normalize-space()">
      <xsl:element name="{if (ed:is-block(.) or exists($label)) then 'div' else 'span'}">
        <xsl:call-template name="ed:attributes"/>
        <xsl:if test="exists($label)"><span class="ms-label"><xsl:value-of select="$label"/>: </span></xsl:if>
        <xsl:choose>
          <xsl:when test="self::tei:msIdentifier">
            <xsl:for-each select="*[normalize-space()]">
              <xsl:if test="position() gt 1">, </xsl:if>
              <xsl:apply-templates select="."/>
            </xsl:for-each>
          </xsl:when>
          <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
        </xsl:choose>
      </xsl:element>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
