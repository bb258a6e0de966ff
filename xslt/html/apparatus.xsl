<?xml version="1.0" encoding="UTF-8"?>
<!--
  The web layer over common/apparatus.xsl (included by document.xsl):

  - the apparatus of a paragraph follows it (div.apparatus, one entry per app, keyed by the
    call letter that follows the reading in the text; the call and the entry link each other);
  - a siglum is a link to its witness in the source description, an abbr whose title and a
    tooltip (shown on hover and keyboard focus, read by screen readers as the link's
    description) say what the witness is;
  - a hand's siglum links to the hand in the source description; screen readers read "in hand";
  - the source description (msDesc, listWit, handNote) is one block under "Source", from
    the semantic layer, where the sourceDesc has its first msDesc or listWit.
  CSS: assets/edition.css ("apparatus"). No script.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:template name="ed:app-call">
    <xsl:param name="in-link" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="n" select="ed:app-number(.)"/>
    <xsl:variable name="letter" select="ed:app-letter($n)"/>
    <xsl:choose>
      <xsl:when test="empty(ed:app-unit(.))">
        <!-- no paragraph to follow: the entry where the reading is -->
        <span class="apparatus-inline"> [<xsl:call-template name="ed:apparatus-entry"/>]</span>
      </xsl:when>
      <xsl:when test="$in-link">
        <sup class="app-call"><xsl:value-of select="$letter"/></sup>
      </xsl:when>
      <xsl:otherwise>
        <a class="app-call" id="app-{$n}-call" href="#app-{$n}">
          <span class="visually-hidden">variant </span><xsl:value-of select="$letter"/>
        </a>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A paragraph with variant readings, then its apparatus. -->
  <xsl:template match="tei:text//tei:*[map:contains($ed:unit-name-map, local-name())][.//tei:app[tei:lem or tei:rdg]][ed:is-unit(.)]" priority="7">
    <xsl:next-match/>
    <div class="apparatus" role="note" aria-label="Variant readings of paragraph {ed:unit-number(.)}">
      <ol class="apparatus-entries">
        <xsl:for-each select=".//tei:app[tei:lem or tei:rdg][not(ancestor::tei:note)]">
          <xsl:variable name="n" select="ed:app-number(.)"/>
          <li id="app-{$n}">
            <a class="app-back" href="#app-{$n}-call">
              <span class="visually-hidden">back to variant </span><xsl:value-of select="ed:app-letter($n)"/>
            </a>
            <xsl:text> </xsl:text>
            <xsl:call-template name="ed:apparatus-entry"/>
          </li>
        </xsl:for-each>
      </ol>
    </div>
  </xsl:template>

  <xsl:template name="ed:sigla">
    <xsl:param name="tokens" as="xs:string*"/>
    <xsl:variable name="owner" select="."/>
    <!-- the reading's place in document order: unique, also for a reading inside an rdgGrp -->
    <xsl:variable name="base" select="'siglum-' || count($owner/(ancestor::* | preceding::*)) + 1"/>
    <xsl:for-each select="$tokens">
      <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
      <xsl:call-template name="ed:siglum">
        <xsl:with-param name="token" select="."/>
        <xsl:with-param name="id" select="$base || '-' || position()"/>
      </xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="ed:siglum">
    <xsl:param name="token" as="xs:string"/>
    <xsl:param name="id" as="xs:string" select="''"/>
    <xsl:variable name="witness" select="ed:witness($token)"/>
    <xsl:choose>
      <xsl:when test="$witness">
        <xsl:variable name="says" select="'Witness ' || $witness/@siglum
            || (ed:witness-description($witness)[.] ! (': ' || .), '')[1]"/>
        <span class="ref siglum-wrap">
          <xsl:element name="{if ($witness/@id) then 'a' else 'span'}">
            <xsl:attribute name="class" select="'siglum'"/>
            <xsl:if test="$witness/@id">
              <xsl:attribute name="href" select="'#' || ed:source-anchor('witness', $witness/@id)"/>
            </xsl:if>
            <xsl:if test="$id">
              <xsl:attribute name="aria-describedby" select="$id"/>
            </xsl:if>
            <abbr title="{$says}"><xsl:value-of select="$witness/@siglum"/></abbr>
          </xsl:element>
          <xsl:if test="$id">
            <!-- drawn by CSS from data-text, as a name's card: not part of the page's text (copying, search) -->
            <span class="card siglum-tip" role="tooltip" id="{$id}" aria-label="{$says}" data-pagefind-ignore=""><span data-text="{$says}"/></span>
          </xsl:if>
        </span>
      </xsl:when>
      <xsl:otherwise>
        <span class="siglum unknown" title="no witness of this document has this id">
          <xsl:value-of select="ed:pointer-id($token)"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="ed:hand-mark">
    <xsl:param name="token" as="xs:string"/>
    <xsl:param name="shift" as="xs:boolean" select="false()"/>
    <xsl:param name="in-link" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="hand" select="ed:hand($token)"/>
    <xsl:element name="{if ($hand/@id and not($in-link)) then 'a' else 'span'}">
      <xsl:attribute name="class" select="'hand-siglum' || ($hand ! (' hand-' || count(preceding-sibling::hand) mod 6 + 1))"/>
      <xsl:if test="$hand/@id and not($in-link)">
        <xsl:attribute name="href" select="'#' || ed:source-anchor('hand', $hand/@id)"/>
      </xsl:if>
      <xsl:if test="$hand">
        <xsl:attribute name="title" select="'Hand ' || $hand/@siglum || (ed:hand-description($hand)[.] ! (': ' || .), '')[1]"/>
      </xsl:if>
      <xsl:variable name="siglum" select="($hand/@siglum, ed:pointer-id($token))[1][.]"/>
      <span class="visually-hidden"><xsl:value-of select="if (not($shift)) then ' (in hand '
          else if ($siglum) then ' (another hand from here: ' else ' (another hand from here'"/></span>
      <xsl:value-of select="$siglum"/>
      <span class="visually-hidden">)</span>
    </xsl:element>
  </xsl:template>

  <!-- The source description, once, where the sourceDesc has its first msDesc or listWit. -->
  <xsl:template match="tei:sourceDesc/tei:msDesc | tei:sourceDesc/tei:listWit" priority="3">
    <xsl:choose>
      <xsl:when test="empty($ed:source-facts)"><xsl:next-match/></xsl:when>
      <xsl:when test="not(preceding-sibling::tei:msDesc or preceding-sibling::tei:listWit)">
        <xsl:call-template name="ed:source-description"/>
      </xsl:when>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
