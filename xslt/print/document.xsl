<?xml version="1.0" encoding="UTF-8"?>
<!--
  One document of the edition as a chapter of the print volume (and of its own PDF).

  Source: the TEI document. Result: <article class="document"> with
    - the document head: title, date, place, and everyone the text gives a role
      (presided, attended, convened, speaker ...), with their names in Chinese characters;
    - the text, with index anchors and footnotes (print-text.xsl).
  Parameters: $site (pointer → register entry, common/functions.xsl; and, built by
  tei_edition.model.edition, <edition/> with the edition's title and version and <document/>
  with what the document states: title, date, place, meeting, roles, correspondents; see
  docs/semantic-layer.md), $scope (id prefix, the document's xml:id).
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
  <xsl:include href="facsimile.xsl"/>
  <xsl:include href="apparatus.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>

  <!-- What the document states (model/edition.py Site.document_facts) and the edition it
       belongs to, for the citation in the document's own PDF. -->
  <xsl:variable name="pr:this" as="element(document)?" select="$site/site/document"/>
  <xsl:variable name="pr:edition" as="element(edition)?" select="$site/site/edition"/>

  <xsl:template match="/tei:TEI">
    <xsl:variable name="title" select="string($pr:this/@title)"/>
    <article class="document" id="doc--{$scope}" data-title="{$title}">
      <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
      <header class="document-head">
        <h1 class="document-title" id="title--{$scope}"><xsl:value-of select="$title"/></h1>
        <xsl:call-template name="pr:facts"/>
        <xsl:call-template name="pr:source"/>
      </header>
      <div class="document-text">
        <xsl:apply-templates select="tei:text"/>
      </div>
      <xsl:call-template name="pr:colophon"><xsl:with-param name="title" select="$title"/></xsl:call-template>
    </article>
  </xsl:template>

  <!-- How to cite the document, its licence and the record it transcribes. Printed in the
       document's own PDF only (print.css hides it in the volume, whose imprint says it). The
       document is cited as the web page cites it: as part of the edition, by the edition's
       editors, publisher and year ($pr:edition), with the document's identifier. -->
  <xsl:template name="pr:colophon">
    <xsl:param name="title" as="xs:string"/>
    <xsl:variable name="pub" select="tei:teiHeader/tei:fileDesc/tei:publicationStmt"/>
    <xsl:variable name="record" select="tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl[1]"/>
    <footer class="colophon">
      <p class="cite-as"><span class="colophon-label">How to cite: </span>
        <xsl:value-of select="string-join($pr:edition/editor, ', ')"/>
        <xsl:if test="$pr:edition/editor"> (ed.), </xsl:if>
        <xsl:text>“</xsl:text><xsl:value-of select="$title"/><xsl:text>”</xsl:text>
        <xsl:for-each select="$pr:edition[@title]">, in <em><xsl:value-of select="@title"/></em></xsl:for-each>
        <xsl:for-each select="$pr:edition/@version">, version <xsl:value-of select="."/></xsl:for-each>
        <xsl:for-each select="$pr:edition/@publisher">, <xsl:value-of select="."/></xsl:for-each>
        <xsl:for-each select="$pr:edition/@year">, <xsl:value-of select="."/></xsl:for-each>
        <xsl:for-each select="$pub/tei:idno[1]"> (<xsl:value-of select="normalize-space(.)"/>)</xsl:for-each>
        <xsl:text>.</xsl:text>
      </p>
      <xsl:for-each select="$pub/tei:availability/tei:licence">
        <p><span class="colophon-label">Licence: </span><xsl:value-of select="normalize-space(.)"/></p>
      </xsl:for-each>
      <xsl:if test="$record">
        <p><span class="colophon-label">Source: </span>
          <xsl:value-of select="normalize-space(($record/tei:title, $record)[1])"/>
          <xsl:for-each select="$record/tei:idno[1]"> (<xsl:value-of select="normalize-space(.)"/>)</xsl:for-each>
          <xsl:text>.</xsl:text>
        </p>
      </xsl:if>
    </footer>
  </xsl:template>

  <!-- Date, place, meeting, correspondents and participants: the facts the web page states,
       under the same headings (model/edition.py Site.document_facts, common/functions.xsl). -->
  <xsl:template name="pr:facts">
    <xsl:variable name="this" select="$pr:this"/>
    <xsl:if test="$this/(date, place, @event, sent/who, received/who, sent/place, received/place, received/date, context, role)">
    <dl class="facts">
      <xsl:for-each select="$this/date">
        <dt>Date</dt>
        <dd><xsl:value-of select="ed:element-date(.)"/></dd>
      </xsl:for-each>
      <xsl:for-each select="$this/place">
        <dt>Place</dt>
        <dd><xsl:sequence select="pr:card-name(@ref, string(.))"/></dd>
      </xsl:for-each>
      <xsl:for-each select="$this[@event]">
        <dt>Type of meeting</dt>
        <dd>
          <xsl:if test="@type"><xsl:value-of select="@type"/>: </xsl:if>
          <xsl:sequence select="pr:card-name(@event, string(@event-label))"/>
        </dd>
      </xsl:for-each>
      <xsl:for-each select="$this/(sent, received)[who]">
        <dt><xsl:value-of select="ed:correspondent-heading(local-name())"/></dt>
        <dd>
          <xsl:for-each select="who">
            <xsl:if test="position() gt 1">, </xsl:if>
            <xsl:sequence select="pr:card-name(@ref, string(.))"/>
          </xsl:for-each>
        </dd>
      </xsl:for-each>
      <xsl:for-each select="$this/sent[place[not(@ref and @ref = $this/place/@ref or . = $this/place)]]">
        <dt>Sent from</dt>
        <dd>
          <xsl:for-each select="place[not(@ref and @ref = $this/place/@ref or . = $this/place)]">
            <xsl:if test="position() gt 1">, </xsl:if>
            <xsl:sequence select="pr:card-name(@ref, string(.))"/>
          </xsl:for-each>
        </dd>
      </xsl:for-each>
      <xsl:for-each select="$this/received[place]">
        <dt><xsl:value-of select="ed:letter-heading('received-place')"/></dt>
        <dd>
          <xsl:for-each select="place">
            <xsl:if test="position() gt 1">, </xsl:if>
            <xsl:sequence select="pr:card-name(@ref, string(.))"/>
          </xsl:for-each>
        </dd>
      </xsl:for-each>
      <xsl:for-each select="$this/(sent[not($this/date/@source = 'sent')], received)/date">
        <dt><xsl:value-of select="ed:letter-heading(local-name(..) || '-date')"/></dt>
        <dd><xsl:value-of select="ed:element-date(.)"/></dd>
      </xsl:for-each>
      <!-- the previous and next letters (correspContext): text on paper, as every reference into
           the edition is; a letter not in the edition says so -->
      <xsl:for-each select="$this/context">
        <dt><xsl:value-of select="ed:letter-heading(@direction)"/></dt>
        <dd class="correspondence-context">
          <xsl:value-of select="."/>
          <xsl:if test="not(@href)"> (not in this edition)</xsl:if>
          <xsl:choose>
            <xsl:when test="@correspondence"> (correspondence: <xsl:sequence select="pr:card-name(@correspondence, string(@correspondence))"/>)</xsl:when>
            <xsl:when test="@name"> (<xsl:value-of select="@name"/>)</xsl:when>
          </xsl:choose>
        </dd>
      </xsl:for-each>
      <xsl:for-each select="$this/role">
        <dt><xsl:value-of select="ed:role-heading(@name)"/></dt>
        <dd>
          <xsl:for-each select="who">
            <xsl:if test="position() gt 1">, </xsl:if>
            <xsl:sequence select="pr:card-name(@ref, string(@ref))"/>
          </xsl:for-each>
        </dd>
      </xsl:for-each>
    </dl>
    </xsl:if>
  </xsl:template>

  <!-- A register entry's main name with its name in another script (Beijing 北京), from its
       card; the name as written when the entry is not known. -->
  <xsl:function name="pr:card-name" as="node()*">
    <xsl:param name="id" as="xs:string?"/>
    <xsl:param name="fallback" as="xs:string"/>
    <xsl:variable name="entity" select="if ($id and exists($site)) then key('ed:entity', $id, $site)[1] else ()"/>
    <xsl:choose>
      <xsl:when test="$entity">
        <span class="name"><xsl:value-of select="ed:entity-name($entity)"/></span>
        <xsl:for-each select="ed:entity-original($entity)">
          <xsl:text> </xsl:text>
          <span class="original" lang="{(@lang, 'und')[1]}"><xsl:value-of select="."/></span>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$fallback"/></xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:template match="tei:text">
    <xsl:apply-templates select="tei:front, tei:body, tei:back"/>
  </xsl:template>
  <xsl:template match="tei:body | tei:front | tei:back">
    <xsl:apply-templates/>
  </xsl:template>
</xsl:stylesheet>
