<?xml version="1.0" encoding="UTF-8"?>
<!-- The whole edition in one TEI file: a teiCorpus whose header is the edition header and
     whose members are every TEI file of the edition, unchanged, each with xml:base set to its
     path in the package so that its relative pointers still lead to the right file.

     Source: the edition header's TEI document.
     $members: <members><member base="tei/…"><TEI>…</TEI></member>…</members>, in package
     order (edition header, registers, documents), prepared by Python. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns="http://www.tei-c.org/ns/1.0"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:param name="members" as="document-node()"/>

  <!-- Only the source's root element is applied in the unnamed mode (a template below). -->
  <xsl:mode on-no-match="shallow-skip"/>
  <!-- The edition header copied as it is, but for its xml:ids. -->
  <xsl:mode name="without-ids" on-no-match="shallow-copy"/>

  <xsl:template match="/tei:TEI">
    <teiCorpus>
      <xsl:copy-of select="@xml:lang"/>
      <xsl:text>&#10;</xsl:text>
      <!-- The member keeps the xml:ids; in this copy they would be duplicates. -->
      <xsl:apply-templates select="tei:teiHeader" mode="without-ids"/>
      <xsl:for-each select="$members/members/member">
        <xsl:text>&#10;</xsl:text>
        <xsl:for-each select="tei:TEI">
          <xsl:copy>
            <xsl:copy-of select="@*"/>
            <xsl:attribute name="xml:base" select="../@base"/>
            <xsl:copy-of select="node()"/>
          </xsl:copy>
        </xsl:for-each>
      </xsl:for-each>
      <xsl:text>&#10;</xsl:text>
    </teiCorpus>
  </xsl:template>

  <xsl:template match="@xml:id" mode="without-ids"/>
</xsl:stylesheet>
