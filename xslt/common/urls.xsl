<?xml version="1.0" encoding="UTF-8"?>
<!--
  The one place that decides whether a URL written in the TEI may become a link (href, src,
  a link in a PDF, a URI in deposit metadata). Every stylesheet that makes a link from a value
  of the source asks ed:safe-link; a value it refuses is shown as text, never linked.

  Only web and mail addresses are links: http:, https:, mailto:. Everything else (javascript:,
  vbscript:, data:, file:, unknown schemes a browser would hand to some program) is refused,
  whatever its case. So is a value with whitespace, control or invisible format characters
  inside: browsers drop tabs and newlines from URLs ("java&#9;script:" is javascript:), and
  bidi controls or zero-width characters disguise what a link leads to. The validator reports
  such values (tei_edition.validate.urls); this function keeps the outputs safe even when a
  build goes on despite errors.

  Standalone (no parameters, no other functions), so that deposit/ can include it too.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <!-- The URL to link to (without surrounding spaces), or () when it must stay text. -->
  <xsl:function name="ed:safe-link" as="xs:string?">
    <xsl:param name="value" as="xs:string?"/>
    <xsl:variable name="url" select="replace(string($value), '^[ \t\n\r]+|[ \t\n\r]+$', '')"/>
    <xsl:sequence select="$url[matches(., '^(https?://[^/?#\s]|mailto:[^\s])', 'i')]
                              [not(matches(., '[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]'))]"/>
  </xsl:function>
</xsl:stylesheet>
