<?xml version="1.0" encoding="UTF-8"?>
<!-- The bag-info.txt fields (RFC 8493, 2.2.2) that come from the edition header, as JSON
     {"Field": ["value", …]}; Python adds Bagging-Date and Payload-Oxum and writes the file.

     Source: the edition header's TEI document. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:dep="urn:tei-edition:deposit"
    xmlns="http://www.w3.org/2005/xpath-functions"
    exclude-result-prefixes="#all">

  <xsl:include href="common.xsl"/>
  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template match="/tei:TEI">
    <xsl:variable name="header" select="tei:teiHeader"/>
    <xsl:variable name="pub" select="$header/tei:fileDesc/tei:publicationStmt"/>
    <xsl:variable name="stmt" select="$header/tei:fileDesc/tei:titleStmt"/>
    <xsl:variable name="json">
      <map>
        <xsl:call-template name="field">
          <xsl:with-param name="name" select="'Source-Organization'"/>
          <xsl:with-param name="values" select="$pub/tei:publisher ! dep:text(.)"/>
        </xsl:call-template>
        <xsl:call-template name="field">
          <xsl:with-param name="name" select="'Organization-Address'"/>
          <xsl:with-param name="values" select="($pub/tei:address ! string-join(*[not(self::tei:email)] ! dep:text(.), ', '), $pub/tei:pubPlace ! dep:text(.))"/>
        </xsl:call-template>
        <xsl:call-template name="field">
          <xsl:with-param name="name" select="'Contact-Name'"/>
          <xsl:with-param name="values" select="distinct-values(($stmt/tei:editor, $stmt/tei:author) ! dep:sort-name(.))"/>
        </xsl:call-template>
        <xsl:call-template name="field">
          <xsl:with-param name="name" select="'Contact-Email'"/>
          <xsl:with-param name="values" select="distinct-values(($stmt, $pub)//tei:email ! dep:text(.))"/>
        </xsl:call-template>
        <xsl:call-template name="field">
          <xsl:with-param name="name" select="'External-Identifier'"/>
          <xsl:with-param name="values" select="$pub/tei:idno ! dep:text(.)"/>
        </xsl:call-template>
        <xsl:call-template name="field">
          <xsl:with-param name="name" select="'External-Description'"/>
          <xsl:with-param name="values" select="string-join((string-join((dep:title($header), dep:subtitle($header)), ': '),
              'version ' || $header/tei:fileDesc/tei:editionStmt/tei:edition/@n,
              $header/tei:encodingDesc/tei:projectDesc ! dep:text(.)), '. ')"/>
        </xsl:call-template>
      </map>
    </xsl:variable>
    <xsl:value-of select="xml-to-json($json)"/>
  </xsl:template>

  <xsl:template name="field">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="values" as="xs:string*"/>
    <xsl:if test="exists($values[. != ''])">
      <array key="{$name}">
        <xsl:for-each select="$values[. != '']"><string><xsl:value-of select="."/></string></xsl:for-each>
      </array>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
