<?xml version="1.0" encoding="UTF-8"?>
<!-- schema.org JSON-LD for the entries of one register file: persons, places, organisations,
     events (and the documents register's works), each with its names, dates, authority
     links (sameAs) and the edition's documents that mention it (subjectOf).

     Source: the register's TEI document.
     $base: the register file's path relative to the JSON-LD file (entries get "$base#id").
     $entities: <entities><entity id kind iri/></entities>, every register entry of the edition.
     $pointers: <pointers><pointer value id/></pointers>, pointers written in this file → entry ids.
     $mentions: <mentions><mention entity iri title/></mentions>, documents that mention entries.
     The JSON is built in the XPath functions vocabulary and serialised by xml-to-json(),
     which keeps the order of the keys. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:dep="urn:tei-edition:deposit"
    xmlns:ed="urn:tei-edition:functions"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns="http://www.w3.org/2005/xpath-functions"
    exclude-result-prefixes="#all">

  <xsl:include href="common.xsl"/>
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:param name="base" as="xs:string"/>
  <xsl:param name="entities" as="document-node()"/>
  <xsl:param name="pointers" as="document-node()"/>
  <xsl:param name="mentions" as="document-node()"/>

  <xsl:key name="entity" match="entity" use="@id"/>
  <xsl:key name="pointer" match="pointer" use="@value"/>
  <xsl:key name="mention" match="mention" use="@entity"/>

  <xsl:variable name="types" select="map{'person': 'Person', 'place': 'Place', 'organisation': 'Organization',
                                         'event': 'Event', 'document': 'CreativeWork'}"/>

  <xsl:template match="/">
    <xsl:variable name="json">
      <map>
        <string key="@context">https://schema.org</string>
        <array key="@graph">
          <xsl:apply-templates select="//*[@xml:id][map:contains($types, string(key('entity', @xml:id, $entities)/@kind))]"/>
        </array>
      </map>
    </xsl:variable>
    <xsl:value-of select="xml-to-json($json)"/>
  </xsl:template>

  <xsl:template match="*">
    <xsl:variable name="kind" select="string(key('entity', @xml:id, $entities)/@kind)"/>
    <xsl:variable name="names" select="(tei:persName, tei:placeName, tei:orgName, tei:label, tei:title, tei:name)"/>
    <xsl:variable name="main" select="($names[@type = 'main'], $names)[1]"/>
    <map>
      <string key="@id"><xsl:value-of select="$base || '#' || @xml:id"/></string>
      <string key="@type"><xsl:value-of select="$types($kind)"/></string>
      <string key="name"><xsl:value-of select="dep:text($main)"/></string>
      <xsl:call-template name="strings">
        <xsl:with-param name="key" select="'alternateName'"/>
        <xsl:with-param name="values" select="distinct-values(($names except $main) ! dep:text(.))[. != dep:text($main)]"/>
      </xsl:call-template>
      <xsl:apply-templates select="." mode="properties"/>
      <xsl:call-template name="strings">
        <xsl:with-param name="key" select="'sameAs'"/>
        <xsl:with-param name="values" select="tei:idno ! ed:safe-link(.)"/>
      </xsl:call-template>
      <xsl:variable name="mentioned" select="key('mention', @xml:id, $mentions)"/>
      <xsl:if test="$mentioned">
        <array key="subjectOf">
          <xsl:for-each select="$mentioned">
            <map>
              <string key="@id"><xsl:value-of select="@iri"/></string>
              <string key="name"><xsl:value-of select="@title"/></string>
            </map>
          </xsl:for-each>
        </array>
      </xsl:if>
    </map>
  </xsl:template>

  <xsl:template match="tei:person | tei:personGrp" mode="properties">
    <xsl:for-each select="tei:birth/@when"><string key="birthDate"><xsl:value-of select="."/></string></xsl:for-each>
    <xsl:for-each select="tei:death/@when"><string key="deathDate"><xsl:value-of select="."/></string></xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:place" mode="properties">
    <!-- one point (schema.org has one geo): a location of coordinates first, else the first geo -->
    <xsl:variable name="geos" select="tei:location/tei:geo"/>
    <xsl:variable name="geo" select="($geos[../@type = ('coords', 'coordinates') or not(../@type)], $geos)[1]"/>
    <xsl:variable name="point" select="tokenize(normalize-space($geo), '[ ,]+')"/>
    <xsl:if test="count($point) = 2 and (every $p in $point satisfies $p castable as xs:double)">
      <map key="geo">
        <string key="@type">GeoCoordinates</string>
        <number key="latitude"><xsl:value-of select="$point[1]"/></number>
        <number key="longitude"><xsl:value-of select="$point[2]"/></number>
      </map>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:event" mode="properties">
    <xsl:for-each select="(@from, @when)[1]"><string key="startDate"><xsl:value-of select="."/></string></xsl:for-each>
    <xsl:for-each select="(@to, @when)[1]"><string key="endDate"><xsl:value-of select="."/></string></xsl:for-each>
    <xsl:call-template name="links">
      <xsl:with-param name="key" select="'location'"/>
      <xsl:with-param name="tokens" select="tokenize(@where)"/>
    </xsl:call-template>
    <xsl:for-each select="tei:desc"><string key="description"><xsl:value-of select="dep:text(.)"/></string></xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:bibl | tei:biblStruct | tei:msDesc" mode="properties">
    <xsl:for-each select="(tei:date/@when)[1]"><string key="dateCreated"><xsl:value-of select="."/></string></xsl:for-each>
    <xsl:call-template name="links">
      <xsl:with-param name="key" select="'author'"/>
      <xsl:with-param name="tokens" select="tei:author//@ref ! tokenize(.)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- Kinds of entry without properties of their own add nothing. -->
  <xsl:mode name="properties" on-no-match="deep-skip"/>

  <!-- Pointers to other register entries, resolved by the index (never by string surgery). -->
  <xsl:template name="links">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="tokens" as="xs:string*"/>
    <xsl:variable name="iris" select="distinct-values($tokens ! key('pointer', ., $pointers)/@id ! key('entity', ., $entities)/@iri ! string())"/>
    <xsl:if test="exists($iris)">
      <array key="{$key}">
        <xsl:for-each select="$iris">
          <map><string key="@id"><xsl:value-of select="."/></string></map>
        </xsl:for-each>
      </array>
    </xsl:if>
  </xsl:template>

  <xsl:template name="strings">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="values" as="xs:string*"/>
    <xsl:if test="exists($values)">
      <array key="{$key}">
        <xsl:for-each select="$values"><string><xsl:value-of select="."/></string></xsl:for-each>
      </array>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
