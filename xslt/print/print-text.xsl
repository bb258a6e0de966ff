<?xml version="1.0" encoding="UTF-8"?>
<!--
  The print layer over common/text.xsl: what differs on paper.

  - Every element that points to a register entry becomes an anchor (span.mention with a
    unique id and data-entity / data-role). Python reads those ids back from the laid-out
    pages to print the page numbers of the back-of-book index (see tei_edition/writers/pdf/indexes.py).
  - Notes become real footnotes (span.footnote, floated to the foot of the page by print.css),
    shown with the number printed in the source (@n: "87", "a").
  - Links are not clickable on paper: a pointer keeps its text only.

  Parameters: $site (common/functions.xsl) and $scope, a prefix that keeps ids unique when
  several documents are bound in one volume.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="urn:tei-edition:functions"
    xmlns:pr="urn:tei-edition:print"
    exclude-result-prefixes="#all">

  <!-- $scope: the id prefix of this part of the volume, a string from Python: the document's
       xml:id (print/document.xsl), "front" or "back". -->
  <xsl:param name="scope" as="xs:string" select="'text'"/>

  <!-- The inside of a footnote: every node has a template below; a node without one is a bug. -->
  <xsl:mode name="pr:inline" on-no-match="fail"/>

  <!-- A pointer into the edition that leads nowhere keeps its text (no index entry); said. -->
  <xsl:template match="tei:*[not(self::tei:note)][@ref or @key or @target][ed:is-unresolved(.)]" priority="4">
    <xsl:call-template name="ed:report">
      <xsl:with-param name="rule" select="'render-unresolved'"/>
      <xsl:with-param name="text" select="'pointer ' || string-join(ed:pointer-tokens(.), ' ') || ' leads nowhere; the print edition shows its text, without an index entry'"/>
      <xsl:with-param name="hint" select="'correct the pointer or add the entry it names to a register'"/>
    </xsl:call-template>
    <xsl:next-match/>
  </xsl:template>

  <!-- Names longer than this may break across lines; shorter ones are kept together so that an
       index page number never points to a page holding only half a name. -->
  <xsl:variable name="pr:nowrap-below" as="xs:integer" select="26"/>

  <!-- An id unique in the volume for an element of the current document: its xml:id, or its
       path of element positions (e1.2.5). Unlike generate-id() the path is the same in every
       run and process, which keeps the PDF byte-identical. -->
  <xsl:function name="pr:id" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="$scope || '--' || ($el/@xml:id,
        'e' || string-join($el/ancestor-or-self::* ! string(count(preceding-sibling::*) + 1), '.'))[1]"/>
  </xsl:function>

  <!-- A pointer to a register entry: an index anchor around what the common layer makes of it. -->
  <xsl:template match="tei:*[not(self::tei:note)][exists(ed:entity(.))]" priority="5">
    <xsl:variable name="entity" select="ed:entity(.)"/>
    <span id="{'m--' || pr:id(.)}" data-entity="{$entity/@id}" data-kind="{$entity/@kind}">
      <xsl:attribute name="class" select="string-join(('mention', 'kind-' || $entity/@kind,
          if (string-length(normalize-space(.)) lt $pr:nowrap-below) then 'keep' else ()), ' ')"/>
      <xsl:if test="normalize-space(@role)">
        <xsl:attribute name="data-role" select="normalize-space(@role)"/>
      </xsl:if>
      <xsl:next-match/>
    </span>
  </xsl:template>

  <!-- tei:ref and tei:ptr leading into the edition: text only on paper. -->
  <xsl:template match="tei:ref">
    <span class="tei-ref"><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:ptr"/>

  <!-- A footnote: the call stays in the text, the body floats to the foot of the page. -->
  <xsl:template match="tei:note[ed:is-footnote(.)]">
    <span class="footnote{@type ! (' note-' || .)}" id="{pr:id(.)}" data-n="{ed:note-number(.)}">
      <xsl:apply-templates mode="pr:inline"/>
    </span>
  </xsl:template>

  <!-- Inside a footnote, blocks (a note with paragraphs) become inline runs separated by a
       space: a footnote is one flow at the foot of the page. -->
  <xsl:template match="tei:p | tei:ab" mode="pr:inline">
    <xsl:if test="preceding-sibling::*"><xsl:text> </xsl:text></xsl:if>
    <span class="note-p"><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="node()" mode="pr:inline">
    <xsl:apply-templates select="."/>
  </xsl:template>

  <!-- Notes in the header or inline notes: in brackets where they stand. -->
  <xsl:template match="tei:note[not(ed:is-footnote(.))]">
    <span class="tei-note inline-note"> [<xsl:apply-templates/>]</span>
  </xsl:template>

  <!-- Headings carry an id so the table of contents can print their page. -->
  <xsl:template match="tei:head" priority="2">
    <xsl:variable name="html" as="element()">
      <xsl:next-match/>
    </xsl:variable>
    <xsl:element name="{local-name($html)}">
      <xsl:sequence select="$html/@*"/>
      <xsl:attribute name="id" select="'h--' || pr:id(.)"/>
      <xsl:sequence select="$html/node()"/>
    </xsl:element>
  </xsl:template>

  <!-- Generated divisions (divGen type="toc") are made where the volume is bound: front.xsl
       lists the documents there from its $contents parameter. -->
  <xsl:template match="tei:divGen"/>
</xsl:stylesheet>
