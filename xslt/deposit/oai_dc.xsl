<?xml version="1.0" encoding="UTF-8"?>
<!-- One OAI-PMH oai_dc (Simple Dublin Core) record for one TEI file of the edition.

     Source: the TEI document.
     $edition: the edition header's TEI document; publisher, licence, language and date are
       inherited from it when the document does not state its own.
     $entities: <entities><entity kind="person|place|organisation|event|document" label="…"/></entities>,
       the register entries the document points to (from the index), as subjects and coverage.
     $path: the file's path in the package; $edition-id: the edition's identifier;
     $is-edition-header: true for the edition header itself (it is no part of itself). -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:dep="urn:tei-edition:deposit"
    xmlns:ed="urn:tei-edition:functions"
    xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    exclude-result-prefixes="xs tei dep ed">

  <xsl:include href="common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:param name="edition" as="document-node()"/>
  <xsl:param name="entities" as="document-node()"/>
  <xsl:param name="path" as="xs:string"/>
  <xsl:param name="edition-id" as="xs:string"/>
  <xsl:param name="is-edition-header" as="xs:boolean" select="false()"/>

  <xsl:template match="/tei:TEI">
    <xsl:variable name="own" select="tei:teiHeader"/>
    <xsl:variable name="ed" select="$edition/tei:TEI/tei:teiHeader"/>
    <!-- the document's own value, else the edition header's (a path over both would sort them) -->
    <xsl:variable name="publisher" select="(($own//tei:publicationStmt/tei:publisher)[1], ($ed//tei:publicationStmt/tei:publisher)[1])[1]"/>
    <xsl:variable name="date" select="(($own//tei:publicationStmt/tei:date/@when)[1], ($ed//tei:publicationStmt/tei:date/@when)[1])[1]"/>
    <xsl:variable name="licence" select="(dep:licence($own), dep:licence($ed))[1]"/>
    <oai_dc:dc xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
               xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">
      <dc:title><xsl:value-of select="dep:title($own)"/></dc:title>
      <xsl:for-each select="$own/tei:fileDesc/tei:titleStmt/tei:author">
        <dc:creator><xsl:value-of select="dep:sort-name(.)"/></dc:creator>
      </xsl:for-each>
      <xsl:for-each select="distinct-values(($own/tei:fileDesc/tei:titleStmt/(tei:editor | tei:respStmt/(tei:name | tei:persName | tei:orgName))) ! dep:sort-name(.))">
        <dc:contributor><xsl:value-of select="."/></dc:contributor>
      </xsl:for-each>
      <xsl:for-each select="distinct-values((dep:keywords($own), $entities/entities/entity[@kind = ('person', 'organisation', 'event', 'document')]/@label ! string()))">
        <dc:subject><xsl:value-of select="."/></dc:subject>
      </xsl:for-each>
      <xsl:for-each select="$own/tei:fileDesc/tei:sourceDesc/(tei:p | */tei:title | */tei:note)">
        <dc:description><xsl:value-of select="dep:text(.)"/></dc:description>
      </xsl:for-each>
      <dc:publisher><xsl:value-of select="dep:text($publisher)"/></dc:publisher>
      <dc:date><xsl:value-of select="string($date)"/></dc:date>
      <dc:type>Text</dc:type>
      <dc:format>application/tei+xml</dc:format>
      <xsl:for-each select="$own/tei:fileDesc/tei:publicationStmt/tei:idno">
        <dc:identifier><xsl:value-of select="dep:text(.)"/></dc:identifier>
      </xsl:for-each>
      <dc:identifier><xsl:value-of select="$path"/></dc:identifier>
      <xsl:for-each select="$own/tei:fileDesc/tei:sourceDesc//tei:idno">
        <dc:source><xsl:value-of select="string-join((@type, dep:text(.)), ': ')"/></dc:source>
      </xsl:for-each>
      <xsl:for-each select="if (exists(dep:languages($own))) then dep:languages($own) else dep:languages($ed)">
        <dc:language><xsl:value-of select="."/></dc:language>
      </xsl:for-each>
      <xsl:if test="not($is-edition-header)">
        <dc:relation><xsl:value-of select="'isPartOf: ' || $edition-id || ' (' || dep:title($ed) || ')'"/></dc:relation>
      </xsl:if>
      <xsl:variable name="coverage" select="dep:coverage($own)"/>
      <xsl:if test="exists($coverage)">
        <dc:coverage><xsl:value-of select="string-join(distinct-values($coverage), '/')"/></dc:coverage>
      </xsl:if>
      <xsl:for-each select="distinct-values($entities/entities/entity[@kind = 'place']/@label ! string())">
        <dc:coverage><xsl:value-of select="."/></dc:coverage>
      </xsl:for-each>
      <xsl:for-each select="$licence">
        <xsl:for-each select="ed:safe-link(@target)"><dc:rights><xsl:value-of select="."/></dc:rights></xsl:for-each>
        <dc:rights><xsl:value-of select="dep:text(.)"/></dc:rights>
      </xsl:for-each>
    </oai_dc:dc>
  </xsl:template>
</xsl:stylesheet>
