<?xml version="1.0" encoding="UTF-8"?>
<!--
  The print edition names the image of each page: a page break tied to a surface of the facsimile
  (pb/@facs="#id") gets the surface's label (model/facsimile.py: its label or number, else the
  image's name) as a small note in the outer margin. No image is embedded: a remote image would
  have to be fetched, and the volume is made without the network.

  $site/site/facsimile (writers/pdf/data.py): <surface index id label kind url service/>*
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:template match="tei:pb[@facs]">
    <xsl:next-match/>
    <xsl:variable name="surface" select="$site/site/facsimile/surface[@id][@id = substring-after(tokenize(current()/@facs)[1], '#')][1]"/>
    <xsl:if test="$surface">
      <span class="facs-label">Image <xsl:value-of select="$surface/@label"/></span>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
