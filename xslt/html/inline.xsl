<?xml version="1.0" encoding="UTF-8"?>
<!--
  How references and notes look on the web.

  References: an element whose @ref/@key/@target leads to a register entry becomes a link to
  the entry's page, followed by a card (name, Chinese name, dates) that CSS shows on hover and
  on keyboard focus (the link is described by it for screen readers). A pointer that leads
  nowhere is shown as plain text with a visible marker; Python reports it as a warning.

  Notes: a footnote leaves a numbered marker in the text (its printed number: 87, "a") and is
  listed at the end of the text, the two linked both ways.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <!-- ===== references ================================================================== -->

  <xsl:template match="tei:*[@ref or @key or self::tei:ref[@target] or self::tei:ptr[@target]]
                       [not(self::tei:note)][not(ed:is-block(.))]" priority="2">
    <!-- true inside a link: HTML forbids a link in a link, so inner references stay text -->
    <xsl:param name="in-link" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="entity" select="ed:entity(.)"/>
    <xsl:choose>
      <xsl:when test="$in-link">
        <xsl:next-match/>
      </xsl:when>
      <xsl:when test="exists($entity)">
        <xsl:variable name="card-id" select="'card-' || accumulator-before('ed:reference-count')"/>
        <span class="ref">
          <a class="ref-link kind-{$entity/@kind}" href="{ed:href($entity/@href)}" aria-describedby="{$card-id}">
            <xsl:call-template name="ed:attributes"/>
            <xsl:attribute name="class" select="'ref-link kind-' || $entity/@kind || ' tei-' || local-name()"/>
            <xsl:call-template name="ed:link-content"/>
          </a>
          <xsl:call-template name="ed:card">
            <xsl:with-param name="entity" select="$entity"/>
            <xsl:with-param name="id" select="$card-id"/>
          </xsl:call-template>
        </span>
      </xsl:when>
      <!-- an external link only for a URL ed:safe-link accepts; any other target stays text -->
      <xsl:when test="(self::tei:ref | self::tei:ptr)[exists(ed:safe-link(@target))]">
        <a class="external tei-{local-name()}" href="{ed:safe-link(@target)}">
          <xsl:call-template name="ed:link-content"/>
        </a>
      </xsl:when>
      <xsl:when test="exists(ed:document-page(.))">
        <a class="document-link tei-{local-name()}" href="{ed:href(ed:document-page(.))}">
          <xsl:call-template name="ed:attributes"/>
          <xsl:attribute name="class" select="'document-link tei-' || local-name()"/>
          <xsl:call-template name="ed:link-content"/>
        </a>
      </xsl:when>
      <xsl:when test="starts-with(@target, '#') and exists(root(.)//tei:note[@xml:id = substring(current()/@target, 2)])">
        <a class="tei-{local-name()}" href="#{substring(@target, 2)}"><xsl:call-template name="ed:link-content"/></a>
      </xsl:when>
      <xsl:when test="ed:is-unresolved(.)">
        <xsl:call-template name="ed:report">
          <xsl:with-param name="rule" select="'render-unresolved'"/>
          <xsl:with-param name="text" select="'pointer ' || string-join(ed:pointer-tokens(.), ' ') || ' leads nowhere; the web page shows the text without a link, marked [?]'"/>
          <xsl:with-param name="hint" select="'correct the pointer or add the entry it names to a register'"/>
        </xsl:call-template>
        <span class="unresolved tei-{local-name()}" title="Unresolved reference: {string-join(ed:pointer-tokens(.), ' ')}">
          <xsl:call-template name="ed:link-content"/>
          <span class="unresolved-marker" aria-label="unresolved reference">[?]</span>
        </span>
      </xsl:when>
      <xsl:otherwise>
        <xsl:next-match/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- An identifier that is a web address (a register entry's PMB, GND, Wikidata URL) is a link. -->
  <xsl:template match="tei:idno[exists(ed:safe-link(normalize-space()))][not(*)]">
    <xsl:param name="in-link" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:choose>
      <xsl:when test="$in-link"><xsl:next-match/></xsl:when>
      <xsl:otherwise>
        <a href="{ed:safe-link(normalize-space())}">
          <xsl:call-template name="ed:attributes"><xsl:with-param name="extra" select="'external'"/></xsl:call-template>
          <xsl:value-of select="normalize-space()"/>
        </a>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The text of a link; an empty <ptr/> shows the name of what it points to. -->
  <xsl:template name="ed:link-content">
    <xsl:choose>
      <xsl:when test="not(node())">
        <xsl:value-of select="(ed:entity(.) ! ed:entity-name(.), @target, @ref)[1]"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates>
          <xsl:with-param name="in-link" select="true()" tunnel="yes"/>
        </xsl:apply-templates>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A card: kind, name, name in another script, dates. Hidden until hover or focus.
       Its words are in data-text attributes and drawn by CSS (::before), not in the page's
       text: a card sits in the middle of a sentence, and the sentence must stay whole for
       copying, text extraction and search. Browsers include the generated text in the
       link's accessible description (aria-describedby), so screen readers announce it. -->
  <xsl:template name="ed:card">
    <xsl:param name="entity" as="element()"/>
    <xsl:param name="id" as="xs:string"/>
    <!-- the entity's dates when the caller has them already (entry.xsl's lists show them too) -->
    <xsl:param name="ed:entity-dates" as="xs:string?" select="()" tunnel="yes"/>
    <span class="card" role="tooltip" id="{$id}" data-pagefind-ignore="">
      <span class="card-kind" data-text="{ed:kind-label($entity/@kind, false())}"/>
      <xsl:text> </xsl:text>
      <span class="card-name" data-text="{ed:entity-name($entity)}"/>
      <xsl:for-each select="ed:entity-original($entity)">
        <xsl:text> </xsl:text>
        <span class="card-original" lang="{(@lang, 'und')[1]}" data-text="{.}"/>
      </xsl:for-each>
      <xsl:variable name="dates" select="if (exists($ed:entity-dates)) then $ed:entity-dates else ed:entity-dates($entity)"/>
      <xsl:if test="$dates">
        <xsl:text> </xsl:text>
        <span class="card-dates" data-text="{$dates}"/>
      </xsl:if>
      <xsl:for-each select="$entity/author[1]">
        <xsl:text> </xsl:text>
        <span class="card-author" data-text="{.}"/>
      </xsl:for-each>
    </span>
  </xsl:template>

  <!-- A linked name outside running text (lists, facts): link with card. -->
  <xsl:template name="ed:entity-link">
    <xsl:param name="entity" as="element()"/>
    <xsl:param name="id" as="xs:string"/>
    <span class="ref">
      <a class="ref-link kind-{$entity/@kind}" href="{ed:href($entity/@href)}" aria-describedby="{$id}">
        <xsl:value-of select="ed:entity-name($entity)"/>
      </a>
      <xsl:call-template name="ed:card">
        <xsl:with-param name="entity" select="$entity"/>
        <xsl:with-param name="id" select="$id"/>
      </xsl:call-template>
    </span>
  </xsl:template>

  <!-- ===== notes ======================================================================= -->

  <xsl:template match="tei:note[ed:is-footnote(.)]" priority="3">
    <xsl:param name="in-link" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="id" select="ed:note-id(.)"/>
    <xsl:if test="$in-link">
      <!-- a note inside a linked name: the number without a link (the note links back here) -->
      <sup class="noteref" id="ref-{$id}"><xsl:value-of select="ed:note-number(.)"/></sup>
    </xsl:if>
    <xsl:if test="not($in-link)">
      <a class="noteref" id="ref-{$id}" href="#{$id}" role="doc-noteref">
        <xsl:attribute name="aria-label" select="'Note ' || ed:note-number(.)"/>
        <sup><xsl:value-of select="ed:note-number(.)"/></sup>
      </a>
    </xsl:if>
  </xsl:template>

  <!-- The list of footnotes of a text; empty when it has none. -->
  <xsl:template name="ed:footnotes">
    <xsl:param name="notes" as="element(tei:note)*"/>
    <xsl:if test="exists($notes)">
      <section class="footnotes" aria-labelledby="notes-heading" role="doc-endnotes">
        <h2 id="notes-heading">Notes</h2>
        <ol>
          <xsl:for-each select="$notes">
            <xsl:variable name="id" select="ed:note-id(.)"/>
            <li id="{$id}" class="footnote type-{(@type, 'note')[1]}">
              <a class="note-number" href="#ref-{$id}" aria-label="Back to the text of note {ed:note-number(.)}">
                <xsl:value-of select="ed:note-number(.)"/>
              </a>
              <div class="note-body">
                <xsl:if test="@type = 'editorial'">
                  <span class="note-kind">Editorial note. </span>
                </xsl:if>
                <xsl:if test="@type = 'source'">
                  <span class="note-kind">Note of the source. </span>
                </xsl:if>
                <xsl:apply-templates/>
                <xsl:text> </xsl:text>
                <a class="note-back" href="#ref-{$id}" aria-label="Back to the text">↩</a>
              </div>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- Inside a footnote, paragraphs stay paragraphs but a single one is just text. -->
  <xsl:template match="tei:note/tei:p[count(../tei:p) = 1]" priority="2">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- A note that is not a footnote (in the header, or placed inline) is shown where it is. -->
  <xsl:template match="tei:note">
    <xsl:element name="{if (ed:is-block(.)) then 'div' else 'span'}">
      <xsl:call-template name="ed:attributes"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>
</xsl:stylesheet>
