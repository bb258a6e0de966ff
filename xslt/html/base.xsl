<?xml version="1.0" encoding="UTF-8"?>
<!--
  Everything the web pages share: the common meaning layer, the page shell, references,
  notes and JSON-LD. Page stylesheets (document.xsl, entry.xsl, pages.xsl) import this file.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="../common/common.xsl"/>
  <xsl:include href="layout.xsl"/>
  <xsl:include href="inline.xsl"/>
  <xsl:include href="jsonld.xsl"/>
</xsl:stylesheet>
