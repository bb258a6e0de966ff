<?xml version="1.0" encoding="UTF-8"?>
<!--
  schema.org JSON-LD for the pages (CreativeWork, Event, Person, Place, Organization).

  Written as the XML form of JSON (fn:xml-to-json) so that keys keep their order and the
  output is byte-identical from build to build.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:fn="http://www.w3.org/2005/xpath-functions"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:function name="ed:json" as="xs:string">
    <xsl:param name="map" as="element(fn:map)"/>
    <xsl:sequence select="xml-to-json($map)"/>
  </xsl:function>

  <!-- A "key": "value" pair, left out when the value is empty. -->
  <xsl:function name="ed:js" as="element(fn:string)?">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="value" as="xs:string?"/>
    <xsl:if test="normalize-space($value)">
      <fn:string key="{$key}"><xsl:value-of select="$value"/></fn:string>
    </xsl:if>
  </xsl:function>

  <!-- schema.org type of a register entry. -->
  <xsl:function name="ed:schema-type" as="xs:string">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:sequence select="map { 'person': 'Person', 'place': 'Place', 'organisation': 'Organization',
                                'event': 'Event', 'document': 'CreativeWork' }($kind)"/>
  </xsl:function>

  <!-- A register entry as a schema.org thing (name, other names, dates). -->
  <xsl:function name="ed:entity-json" as="element(fn:map)">
    <xsl:param name="entity" as="element()"/>
    <xsl:param name="key" as="xs:string?"/>
    <fn:map>
      <xsl:if test="$key"><xsl:attribute name="key" select="$key"/></xsl:if>
      <fn:string key="@type"><xsl:value-of select="ed:schema-type($entity/@kind)"/></fn:string>
      <fn:string key="name"><xsl:value-of select="ed:entity-name($entity)"/></fn:string>
      <xsl:if test="count($entity/name) gt 1">
        <fn:array key="alternateName">
          <xsl:for-each select="$entity/name[position() gt 1]">
            <fn:string><xsl:value-of select="."/></fn:string>
          </xsl:for-each>
        </fn:array>
      </xsl:if>
      <xsl:sequence select="ed:js('birthDate', $entity/@birth), ed:js('deathDate', $entity/@death),
                            ed:js('startDate', ($entity/@from, $entity[@kind = 'event']/@when)[1]),
                            ed:js('endDate', ($entity/@to, $entity[@kind = 'event']/@when)[1]),
                            ed:js('dateCreated', $entity[@kind = 'document']/@when),
                            ed:js('url', $entity/@href ! ed:href(.))"/>
    </fn:map>
  </xsl:function>
</xsl:stylesheet>
