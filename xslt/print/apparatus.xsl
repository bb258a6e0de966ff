<?xml version="1.0" encoding="UTF-8"?>
<!--
  The print layer over common/apparatus.xsl (included by print/document.xsl):

  - an apparatus criticus at the foot of the page: each app's entry is a footnote of its own
    kind (span.apparatus-entry, float: footnote in print.css), with its own call (an italic
    letter, not a number) and keyed by the number of its paragraph; in a document with variant
    readings every paragraph carries its number in the margin (span.unit-number);
  - sigla and hands' sigla as small capitals (no links on paper);
  - the source description (repository, shelfmark, object type, witnesses, hands) in the
    document head, after its facts (pr:source, called by print/document.xsl).
  Ids are prefixed with $scope, so they stay unique in the volume.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="urn:tei-edition:functions"
    xmlns:pr="urn:tei-edition:print"
    exclude-result-prefixes="#all">

  <xsl:function name="ed:source-anchor" as="xs:string">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="$scope || '--' || $kind || '-' || $id"/>
  </xsl:function>

  <!-- The entry floats to the foot of the page; the call stays after the reading. -->
  <xsl:template name="ed:app-call">
    <xsl:variable name="unit" select="ed:app-unit(.)"/>
    <xsl:choose>
      <!-- in a note (a footnote cannot hold one) or outside any paragraph: where it stands -->
      <xsl:when test="empty($unit)">
        <span class="apparatus-inline"> [<xsl:call-template name="ed:apparatus-entry"/>]</span>
      </xsl:when>
      <xsl:otherwise>
        <span class="apparatus-entry" id="{pr:id(.)}" data-call="{ed:app-letter(ed:app-number(.))}">
          <span class="app-key"><xsl:value-of select="ed:unit-number($unit)"/></span>
          <xsl:text> </xsl:text>
          <xsl:call-template name="ed:apparatus-entry"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- In a document with variant readings, each paragraph's number, the key of its entries. -->
  <xsl:variable name="pr:with-apparatus" as="xs:boolean" select="exists(/tei:TEI/tei:text//tei:app[tei:lem or tei:rdg])"/>
  <xsl:template match="tei:text//tei:*[$pr:with-apparatus][local-name() = $ed:unit-names][ed:is-unit(.)]" priority="7">
    <xsl:variable name="n" select="ed:unit-number(.)"/>
    <xsl:variable name="html" as="node()*"><xsl:next-match/></xsl:variable>
    <xsl:for-each select="$html">
      <xsl:choose>
        <xsl:when test="self::element() and position() = 1">
          <xsl:copy>
            <xsl:sequence select="@*"/>
            <span class="unit-number" aria-hidden="true"><xsl:value-of select="$n"/></span>
            <xsl:sequence select="node()"/>
          </xsl:copy>
        </xsl:when>
        <xsl:otherwise><xsl:sequence select="."/></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <!-- The description of the source, in the document head. -->
  <xsl:template name="pr:source">
    <xsl:if test="$ed:source-facts/*">
      <div class="source">
        <p class="source-heading">Source</p>
        <xsl:call-template name="ed:source-description"/>
      </div>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
