<?xml version="1.0" encoding="UTF-8"?>
<!--
  "Cite this document": a formatted citation and a BibTeX record.

  The stable URL is $site/site/cite/@url when the edition's [html] base-url is configured;
  otherwise the page's own address is filled in by edition.js when the page is served, and the
  path within the edition is shown. The access date is left to the reader.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:function name="ed:bibtex-escape" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:sequence select="replace(replace(replace(normalize-space($s), '([&amp;%$#_{}])', '\\$1'), '~', '\\~{}'), '–', '--')"/>
  </xsl:function>

  <xsl:template name="cite-document">
    <xsl:variable name="url" select="string($site/site/cite/@url)"/>
    <xsl:variable name="editors" select="string-join($edition/editor, '; ')"/>
    <xsl:variable name="year" select="string($edition/@year)"/>
    <section class="cite" aria-labelledby="cite-heading" data-pagefind-ignore="">
      <h2 id="cite-heading">Cite this document</h2>
      <p class="citation" id="citation-text">
        <xsl:if test="$editors"><xsl:value-of select="$editors"/> (ed.). </xsl:if>
        <xsl:text>“</xsl:text><xsl:value-of select="$this/@title"/><xsl:text>.” In </xsl:text>
        <cite><xsl:value-of select="$edition/@title"/></cite>
        <xsl:if test="$edition/@version">, version <xsl:value-of select="$edition/@version"/></xsl:if>
        <xsl:text>. </xsl:text>
        <xsl:if test="$edition/@publisher"><xsl:value-of select="$edition/@publisher"/>, </xsl:if>
        <xsl:value-of select="$year"/>
        <xsl:text>. </xsl:text>
        <span class="cite-url" data-path="{$this/@href}" data-fixed="{if ($url) then 'yes' else 'no'}">
          <xsl:value-of select="($url[.], $this/@href)[1]"/>
        </span>
        <xsl:text> (accessed [date]).</xsl:text>
      </p>
      <p class="cite-help">Give the date on which you consulted the page in place of [date].
        <xsl:if test="not($url)">When you read the edition from a copy on disk, replace the path with the web address where the edition is published.</xsl:if>
      </p>
      <details class="bibtex">
        <summary>BibTeX</summary>
        <pre><code id="bibtex-text">
          <xsl:text>@misc{</xsl:text><xsl:value-of select="replace($this/@id, '[^A-Za-z0-9:._-]', '-')"/><xsl:text>,&#10;</xsl:text>
          <xsl:text>  title        = {</xsl:text><xsl:value-of select="ed:bibtex-escape($this/@title)"/><xsl:text>},&#10;</xsl:text>
          <xsl:if test="$editors">
            <xsl:text>  editor       = {{</xsl:text><xsl:value-of select="ed:bibtex-escape($editors)"/><xsl:text>}},&#10;</xsl:text>
          </xsl:if>
          <xsl:text>  howpublished = {</xsl:text><xsl:value-of select="ed:bibtex-escape($edition/@title)"/>
          <xsl:if test="$edition/@version">, version <xsl:value-of select="ed:bibtex-escape($edition/@version)"/></xsl:if><xsl:text>},&#10;</xsl:text>
          <xsl:if test="$edition/@publisher">
            <xsl:text>  publisher    = {</xsl:text><xsl:value-of select="ed:bibtex-escape($edition/@publisher)"/><xsl:text>},&#10;</xsl:text>
          </xsl:if>
          <xsl:text>  year         = {</xsl:text><xsl:value-of select="$year"/><xsl:text>},&#10;</xsl:text>
          <xsl:text>  url          = {</xsl:text><span class="cite-url" data-path="{$this/@href}" data-fixed="{if ($url) then 'yes' else 'no'}"><xsl:value-of select="($url[.], $this/@href)[1]"/></span><xsl:text>},&#10;</xsl:text>
          <xsl:text>  urldate      = {[date]}&#10;}</xsl:text>
        </code></pre>
      </details>
      <p class="download">
        <a href="{ed:href($this/@source)}" download="">Download the TEI source (XML)</a>
      </p>
    </section>
  </xsl:template>
</xsl:stylesheet>
