<?xml version="1.0" encoding="UTF-8"?>
<!--
  How a stylesheet says that it met something it cannot render: one xsl:message per finding,
  holding an <ed:message> element that Python (tei_edition.render.messages) turns into a
  Diagnostic at the file, line and column of the TEI element.

    <ed:message rule="render-unknown-element" severity="warning" at="1/2/4/7" hint="...">text</ed:message>

  @at names the element by the positions of it and its ancestors among their element siblings,
  from the source's root element ("1/2/4/7"). Python walks the same steps in its lxml tree,
  which knows the lines: Saxon gets the document as a string and cannot know them.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <!-- The source being rendered, to tell its nodes from those of a parameter. -->
  <xsl:variable name="ed:source" as="document-node()?" select="/"/>

  <!-- Where a node is in the source: "1/3/2" (see above); '' for a document node, (), or a node of
       a parameter such as $site (facts Python made: a position there names no TEI element). -->
  <xsl:function name="ed:at" as="xs:string">
    <xsl:param name="node" as="node()?"/>
    <xsl:sequence select="if (exists($node) and root($node) is $ed:source)
                          then string-join($node/ancestor-or-self::* ! string(count(preceding-sibling::*) + 1), '/')
                          else ''"/>
  </xsl:function>

  <!-- Report a finding about $node (by default the context node). $rule is a stable code that
       users filter on; $hint says what to do. -->
  <xsl:template name="ed:report">
    <xsl:param name="rule" as="xs:string" required="yes"/>
    <xsl:param name="text" as="xs:string" required="yes"/>
    <xsl:param name="hint" as="xs:string" select="''"/>
    <xsl:param name="severity" as="xs:string" select="'warning'"/>
    <xsl:param name="node" as="node()?" select="."/>
    <xsl:message>
      <ed:message rule="{$rule}" severity="{$severity}" at="{ed:at($node)}" hint="{$hint}">
        <xsl:value-of select="$text"/>
      </ed:message>
    </xsl:message>
  </xsl:template>
</xsl:stylesheet>
