<?xml version="1.0" encoding="UTF-8"?>
<!--
  The meaning layer of the edition: import this one file from a format layer.

    <xsl:import href="../common/common.xsl"/>

  functions.xsl  dates ("9 September 1951"), role and kind labels, note numbers, pointer → entity
  text.xsl       TEI text elements as plain HTML5, and the fallback for elements without a template
  transcription.xsl  line and page breaks, @rend/@rendition, spaces, choices and variants, the
                 source description: how a transcription reads
  apparatus.xsl  witnesses and their sigla, the apparatus of variant readings, hands, the
                 description of the source (msDesc, listWit, handNote)
  urls.xsl       ed:safe-link: whether a URL of the source may become a link (only http, https, mailto)
  report.xsl     ed:report: an xsl:message with a rule code and the TEI element's place, which
                 Python reports as path:line:col (guard.xsl, beside it, is added by Python)

  Conventions: functions and named templates are in the namespace urn:tei-edition:functions
  (prefix ed:); the only global parameter is $site (see functions.xsl), built by
  tei_edition.model.edition in Python.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:include href="functions.xsl"/>
  <xsl:include href="text.xsl"/>
  <xsl:include href="transcription.xsl"/>
  <xsl:include href="apparatus.xsl"/>
  <xsl:include href="urls.xsl"/>
  <xsl:include href="report.xsl"/>
</xsl:stylesheet>
