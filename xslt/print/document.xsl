<?xml version="1.0" encoding="UTF-8"?>
<!--
  One document of the edition as a chapter of the print volume (and of its own PDF).

  Source: the TEI document. Result: <article class="document"> with
    - the document head: title, date, place, and everyone the text gives a role
      (presided, attended, convened, speaker ...), with their names in Chinese characters;
    - the text, with index anchors and footnotes (print-text.xsl).
  Parameters: $site (pointer → register entry, common/functions.xsl), $scope (id prefix,
  the document's xml:id).
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

  <!-- The edition this document belongs to, for the citation in the document's own PDF: strings
       from Python (the edition header's main title and its edition/@n; '' without a header). -->
  <xsl:param name="edition-title" as="xs:string" select="''"/>
  <xsl:param name="edition-version" as="xs:string" select="''"/>

  <xsl:template match="/tei:TEI">
    <xsl:variable name="title" select="normalize-space(tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[1])"/>
    <article class="document" id="doc--{$scope}" data-title="{$title}">
      <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
      <header class="document-head">
        <h1 class="document-title" id="title--{$scope}"><xsl:value-of select="$title"/></h1>
        <xsl:call-template name="pr:facts"/>
      </header>
      <div class="document-text">
        <xsl:apply-templates select="tei:text"/>
      </div>
      <xsl:call-template name="pr:colophon"><xsl:with-param name="title" select="$title"/></xsl:call-template>
    </article>
  </xsl:template>

  <!-- How to cite the document, its licence and the record it transcribes. Printed in the
       document's own PDF only (print.css hides it in the volume, whose imprint says it). -->
  <xsl:template name="pr:colophon">
    <xsl:param name="title" as="xs:string"/>
    <xsl:variable name="pub" select="tei:teiHeader/tei:fileDesc/tei:publicationStmt"/>
    <xsl:variable name="record" select="tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl[1]"/>
    <footer class="colophon">
      <p class="cite-as"><span class="colophon-label">How to cite: </span>
        <xsl:value-of select="string-join(tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:editor ! normalize-space(), ', ')"/>
        <xsl:if test="tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:editor"> (ed.), </xsl:if>
        <xsl:text>“</xsl:text><xsl:value-of select="$title"/><xsl:text>”</xsl:text>
        <xsl:if test="$edition-title">, in <em><xsl:value-of select="$edition-title"/></em></xsl:if>
        <xsl:if test="$edition-version">, version <xsl:value-of select="$edition-version"/></xsl:if>
        <xsl:for-each select="$pub/tei:publisher[1]">, <xsl:value-of select="normalize-space(.)"/></xsl:for-each>
        <xsl:for-each select="$pub/tei:date[1]">, <xsl:value-of select="(@when ! substring(., 1, 4), normalize-space(.))[1]"/></xsl:for-each>
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

  <!-- Date, place and participants, from the header's setting and the roles in the text. -->
  <xsl:template name="pr:facts">
    <xsl:variable name="setting" select="tei:teiHeader/tei:profileDesc/tei:settingDesc/tei:setting[1]"/>
    <xsl:variable name="date" select="($setting/tei:date, tei:text//tei:date[@from or @when])[1]"/>
    <xsl:variable name="place" select="($setting/tei:placeName, tei:text//tei:placeName)[1]"/>
    <xsl:variable name="with-role" select="tei:text//*[normalize-space(@role)][exists(ed:entity(.))]"/>
    <xsl:if test="$date or $place or $with-role">
    <dl class="facts">
      <xsl:if test="$date">
        <dt>Date</dt>
        <dd><xsl:value-of select="(ed:element-date($date)[. ne ''], normalize-space($date))[1]"/></dd>
      </xsl:if>
      <xsl:if test="$place">
        <dt>Place</dt>
        <dd><xsl:sequence select="pr:entity-name($place, normalize-space($place))"/></dd>
      </xsl:if>
      <xsl:for-each-group select="$with-role" group-by="normalize-space(@role)">
        <dt><xsl:value-of select="pr:capitalise(ed:role-label(current-grouping-key()))"/></dt>
        <dd>
          <xsl:for-each-group select="current-group()" group-by="ed:entity(.)/@id">
            <xsl:if test="position() gt 1">, </xsl:if>
            <xsl:sequence select="pr:entity-name(., normalize-space(.))"/>
          </xsl:for-each-group>
        </dd>
      </xsl:for-each-group>
    </dl>
    </xsl:if>
  </xsl:template>

  <!-- A register entry's main name with its name in another script: Beijing 北京. -->
  <xsl:function name="pr:entity-name" as="node()*">
    <xsl:param name="el" as="element()"/>
    <xsl:param name="fallback" as="xs:string"/>
    <xsl:variable name="entity" select="ed:entity($el)"/>
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

  <xsl:function name="pr:capitalise" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="upper-case(substring($s, 1, 1)) || substring($s, 2)"/>
  </xsl:function>

  <xsl:template match="tei:text">
    <xsl:apply-templates select="tei:front, tei:body, tei:back"/>
  </xsl:template>
  <xsl:template match="tei:body | tei:front | tei:back">
    <xsl:apply-templates/>
  </xsl:template>
</xsl:stylesheet>
