<?xml version="1.0" encoding="UTF-8"?>
<!--
  Locates stylesheet failures in the TEI. Not imported by any stylesheet: Python includes it
  in the small stylesheet it compiles around each entry stylesheet (and the edition's profile),
  so that its one template has the highest import precedence of all.

  Every TEI element, and the source's document node (for failures outside the text: the page's
  frame, its facts), is rendered inside xsl:try. When rendering it fails (a dynamic error in our
  templates or in a profile), the innermost catch - the node closest to the failure - sends
  an <ed:failure> message with the error code, the stylesheet and line Saxon gives, and the
  element's place (ed:at), then raises ed:located so that the enclosing elements pass the error
  on without reporting it again. Python reports the failure at the element's line in the TEI
  file (tei_edition.render.messages).

  The template only wraps xsl:next-match: the output is unchanged, tunnel parameters pass
  through, and the cost is within the noise of a page's rendering (measured on the bundled
  edition).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:err="http://www.w3.org/2005/xqt-errors"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:template match="/ | tei:*" priority="1000">
    <xsl:try>
      <xsl:next-match/>
      <xsl:catch errors="ed:located">
        <xsl:sequence select="error($err:code, $err:description)"/>
      </xsl:catch>
      <xsl:catch>
        <xsl:message>
          <ed:failure code="{$err:code}" module="{$err:module}" line="{$err:line-number}" at="{ed:at(.)}">
            <xsl:value-of select="$err:description"/>
          </ed:failure>
        </xsl:message>
        <xsl:sequence select="error(xs:QName('ed:located'), $err:description)"/>
      </xsl:catch>
    </xsl:try>
  </xsl:template>
</xsl:stylesheet>
