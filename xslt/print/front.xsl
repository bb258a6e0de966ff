<?xml version="1.0" encoding="UTF-8"?>
<!--
  The front of the print volume, from the edition header (tei/edition.xml): title page,
  imprint (publisher, licence, version, how to cite), table of contents, the front matter
  (introduction, editorial principles) and the part title of the documents.

  Parameters (built by tei_edition/writers/pdf/volume.py):
    $site       pointer → register entry (common/functions.xsl), and <edition/>: the edition's
                title, subtitle, version, publisher, year, identifier, editors and licences as
                every output states them (tei_edition.model.edition, docs/semantic-layer.md)
    $contents   <contents volume="II"? series="Letters"?>   (@volume: this volume's number when there
                are several; @series: the series it prints, when cut by series)
                  <entry href="#id" level="2" class="document" date="...">Title</entry> ...
                </contents>
                the documents and back-matter sections in the order they are bound; the front
                matter's own entries are added here from the TEI.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="urn:tei-edition:functions"
    xmlns:pr="urn:tei-edition:print"
    exclude-result-prefixes="#all">

  <xsl:import href="../common/common.xsl"/>
  <xsl:include href="print-text.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>

  <!-- $contents: the table of contents Python builds (shape in the comment above). -->
  <xsl:param name="contents" as="document-node()?" select="()"/>

  <xsl:variable name="file" select="/tei:TEI/tei:teiHeader/tei:fileDesc"/>
  <xsl:variable name="edition" as="element(edition)?" select="$site/site/edition"/>
  <xsl:variable name="main-title" select="string($edition/@title)"/>
  <xsl:variable name="sub-title" select="string($edition/@subtitle)"/>
  <xsl:variable name="editors" select="$edition/editor ! string()"/>
  <xsl:variable name="version" select="string($edition/@version)"/>
  <!-- The part title of the documents: the heading of the header's body division, else "Documents". -->
  <xsl:variable name="part-title" select="(normalize-space(/tei:TEI/tei:text/tei:body/tei:div[1]/tei:head[1])[. ne ''], 'Documents')[1]"/>
  <xsl:variable name="year" select="string($edition/@year)"/>

  <xsl:template match="/tei:TEI">
    <div class="front">
      <xsl:call-template name="pr:title-page"/>
      <xsl:call-template name="pr:imprint"/>
      <xsl:call-template name="pr:toc"/>
      <xsl:for-each select="tei:text/tei:front/tei:div">
        <section class="chapter front-matter" id="{pr:id(.)}">
          <xsl:apply-templates select="."/>
        </section>
      </xsl:for-each>
      <xsl:call-template name="pr:part-title"/>
    </div>
  </xsl:template>

  <xsl:template name="pr:title-page">
    <section class="title-page" id="title-page">
      <h1 class="edition-title"><xsl:value-of select="$main-title"/></h1>
      <xsl:if test="$sub-title"><p class="edition-subtitle"><xsl:value-of select="$sub-title"/></p></xsl:if>
      <xsl:if test="$contents/contents/@volume">
        <p class="edition-volume">Volume <xsl:value-of select="$contents/contents/@volume"/>
          <xsl:for-each select="$contents/contents/@series">
            <br/><span class="edition-series"><xsl:value-of select="."/></span>
          </xsl:for-each>
        </p>
      </xsl:if>
      <xsl:if test="exists($editors)">
        <p class="edition-editors">Edited by<br/><xsl:value-of select="string-join($editors, ', ')"/></p>
      </xsl:if>
      <p class="edition-publisher">
        <xsl:value-of select="string-join(($edition/@publisher ! string(), $year[. ne '']), ' · ')"/>
      </p>
    </section>
  </xsl:template>

  <xsl:template name="pr:imprint">
    <section class="imprint" id="imprint">
      <p><strong><xsl:value-of select="$main-title"/></strong>
        <xsl:if test="$sub-title">. <xsl:value-of select="$sub-title"/></xsl:if></p>
      <xsl:if test="$version"><p>Version <xsl:value-of select="$version"/></p></xsl:if>
      <xsl:if test="exists($editors)"><p>Edited by <xsl:value-of select="string-join($editors, ', ')"/>.</p></xsl:if>
      <xsl:for-each select="$file/tei:titleStmt/tei:respStmt">
        <p><xsl:value-of select="normalize-space(tei:resp)"/>: <xsl:value-of select="string-join(tei:name ! normalize-space(), ', ')"/>.</p>
      </xsl:for-each>
      <p>Published by <xsl:value-of select="$edition/@publisher"/><xsl:if test="$year">, <xsl:value-of select="$year"/></xsl:if>.</p>
      <xsl:for-each select="$edition/licence">
        <p class="licence"><xsl:value-of select="."/>
          <xsl:if test="@target"><br/><span class="url"><xsl:value-of select="@target"/></span></xsl:if></p>
      </xsl:for-each>
      <h2 class="imprint-head">How to cite</h2>
      <p class="citation">
        <xsl:if test="exists($editors)"><xsl:value-of select="string-join($editors, ', ')"/> (ed.), </xsl:if><em><xsl:value-of select="$main-title"/><xsl:if test="$sub-title">: <xsl:value-of select="$sub-title"/></xsl:if></em><xsl:if test="$version">, version <xsl:value-of select="$version"/></xsl:if>, <xsl:value-of select="string-join(($edition/@publisher ! string(), $year[. ne '']), ', ')"/><xsl:for-each select="$edition/@idno"> (<xsl:value-of select="."/>)</xsl:for-each>.
      </p>
      <xsl:for-each select="/tei:TEI/tei:teiHeader/tei:revisionDesc/tei:change[1]">
        <p class="revision"><xsl:value-of select="ed:format-date(@when)"/>: <xsl:value-of select="normalize-space(.)"/></p>
      </xsl:for-each>
    </section>
  </xsl:template>

  <!-- Page numbers come from the layout: target-counter() in print.css. -->
  <xsl:template name="pr:toc">
    <nav class="toc chapter" id="contents">
      <h1 class="chapter-title">Contents</h1>
      <ol>
        <xsl:for-each select="tei:text/tei:front/tei:div[tei:head]">
          <li class="toc-1"><a href="#h--{pr:id(tei:head[1])}"><xsl:value-of select="normalize-space(tei:head[1])"/></a></li>
        </xsl:for-each>
        <xsl:if test="$contents/contents/entry[@class = 'document']">
          <li class="toc-1 toc-part"><a href="#part-documents"><xsl:value-of select="$part-title"/></a></li>
        </xsl:if>
        <xsl:for-each select="$contents/contents/entry">
          <li class="toc-{@level} toc-{@class}">
            <a href="{@href}"><xsl:value-of select="."/></a>
          </li>
        </xsl:for-each>
      </ol>
    </nav>
  </xsl:template>

  <!-- The edition body (the "Documents" division) introduces the documents: a part title page
       with its text and, where the TEI asks for it (divGen type="toc"), the list of documents. -->
  <xsl:template name="pr:part-title">
    <xsl:if test="empty(tei:text/tei:body/tei:div) and $contents/contents/entry[@class = 'document']">
      <section class="part-title" id="part-documents">
        <h1 class="chapter-title"><xsl:value-of select="$part-title"/></h1>
      </section>
    </xsl:if>
    <xsl:for-each select="tei:text/tei:body/tei:div[1]">
      <section class="part-title" id="part-documents">
        <xsl:apply-templates select="*"/>
        <xsl:if test=".//tei:divGen[@type = 'toc']">
          <ol class="document-list">
            <xsl:for-each select="$contents/contents/entry[@class = 'document']">
              <li><a href="{@href}"><xsl:value-of select="."/></a></li>
            </xsl:for-each>
          </ol>
        </xsl:if>
      </section>
    </xsl:for-each>
  </xsl:template>

  <!-- Front-matter headings are chapter titles (h1) with an id for the table of contents. -->
  <xsl:template match="tei:text/tei:front/tei:div/tei:head[1] | tei:text/tei:body/tei:div/tei:head[1]" priority="3">
    <h1 class="chapter-title" id="h--{pr:id(.)}"><xsl:apply-templates/></h1>
  </xsl:template>
</xsl:stylesheet>
