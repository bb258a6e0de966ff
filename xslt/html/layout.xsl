<?xml version="1.0" encoding="UTF-8"?>
<!--
  The page shell of the web edition: <head>, site header and navigation, breadcrumbs, footer.
  The site header and footer are hooks (ed:site-header, ed:site-footer) that an edition's
  profile may override (docs/xslt.md).

  Every page is written by Python at a path given in $site/site/@path (e.g. documents/x.html);
  $site/site/@root is the way back to the site root from there ("" or "../"), so every link is
  relative and the site works from disk (file://) and from any sub-path of a web server.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>

  <xsl:variable name="root" as="xs:string" select="string($site/site/@root)"/>
  <xsl:variable name="edition" as="element(edition)?" select="$site/site/edition"/>

  <!-- Defence in depth: even if some text of the source ever reached the page as markup, the
       browser runs no script but the edition's own files (no inline script, no event handler
       attribute, no javascript: URL), loads nothing from another host, and sends forms only to
       the edition. What the pages need: their own scripts, styles and images ('self', which
       also covers a copy opened from disk), Pagefind's WebAssembly ('wasm-unsafe-eval'), its
       web worker and the index files it fetches; Pagefind's stylesheet draws icons as data:
       images. -->
  <xsl:variable name="ed:content-security-policy" as="xs:string" select="string-join((
      &quot;default-src 'none'&quot;, &quot;script-src 'self' 'wasm-unsafe-eval'&quot;, &quot;style-src 'self'&quot; || $ed:viewer-style,
      &quot;img-src 'self' data:&quot; || $ed:image-hosts, &quot;font-src 'self'&quot;,
      &quot;connect-src 'self'&quot; || $ed:image-hosts, &quot;worker-src 'self'&quot;,
      &quot;form-action 'self'&quot;, &quot;base-uri 'none'&quot;, &quot;object-src 'none'&quot;), '; ')"/>

  <!-- A page with a facsimile (html/facsimile.xsl) may also load images and their IIIF
       descriptions from the hosts the edition names ([html] image-hosts, checked as web origins
       when the config is loaded; checked again here, so no other text reaches the policy). -->
  <xsl:variable name="ed:image-hosts" as="xs:string" select="string-join(
      $site/site/facsimile/image-host[matches(., '^https?://[A-Za-z0-9.-]+(:[0-9]+)?$')] ! (' ' || .), '')"/>

  <!-- The image viewer (OpenSeadragon) adds a style element unless the page has one marked as its
       own; the page has an empty one (html/facsimile.xsl), and only an empty style element may apply. -->
  <xsl:variable name="ed:viewer-style" as="xs:string"
      select="if ($site/site/facsimile) then &quot; 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='&quot; else ''"/>

  <!-- A link to a page given relative to the site root. -->
  <xsl:function name="ed:href" as="xs:string">
    <xsl:param name="path" as="xs:string"/>
    <xsl:sequence select="$root || $path"/>
  </xsl:function>

  <!--
    The page. $kind is the Pagefind filter value ("Document", "Person", ...) for pages that
    are searched, '' for pages that are not (home, lists, search). $crumbs are <a> elements
    with @href relative to the root (the current page is added last, without a link).
  -->
  <xsl:template name="ed:page">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="kind" as="xs:string" select="''"/>
    <xsl:param name="crumbs" as="element()*" select="()"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:param name="jsonld" as="xs:string?" select="()"/>
    <xsl:param name="head-extra" as="item()*" select="()"/>
    <xsl:param name="description" as="xs:string?" select="()"/>
    <xsl:param name="lang" as="xs:string" select="(ed:lang(/*)[.], 'en')[1]"/>
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <meta http-equiv="Content-Security-Policy" content="{$ed:content-security-policy}"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:value-of select="if ($title = $edition/@title) then $title else $title || ' · ' || $edition/@title"/>
        </title>
        <xsl:if test="$description">
          <meta name="description" content="{$description}"/>
        </xsl:if>
        <meta name="generator" content="tei-edition {$edition/@pipeline-version}"/>
        <link rel="stylesheet" href="{ed:href('assets/edition.css')}"/>
        <link rel="icon" href="{ed:href('assets/favicon.svg')}" type="image/svg+xml"/>
        <xsl:sequence select="$head-extra"/>
        <script src="{ed:href('assets/edition.js')}" defer=""></script>
        <xsl:if test="$jsonld">
          <!-- JSON in a script element is not escaped by HTML: a title holding an end tag of
               script would end it, a comment opener would change where it ends. So the JSON
               is written with its angle brackets and ampersands escaped (ed:script-safe-json). -->
          <script type="application/ld+json">
            <xsl:value-of select="ed:script-safe-json($jsonld)" disable-output-escaping="yes"/>
          </script>
        </xsl:if>
      </head>
      <body>
        <a class="skip" href="#main">Skip to the text</a>
        <xsl:call-template name="ed:site-header"/>
        <xsl:if test="exists($crumbs)">
          <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <ol>
              <xsl:for-each select="$crumbs">
                <li><a href="{ed:href(@href)}"><xsl:value-of select="."/></a></li>
              </xsl:for-each>
              <li><span aria-current="page"><xsl:value-of select="$title"/></span></li>
            </ol>
          </nav>
        </xsl:if>
        <main id="main">
          <xsl:if test="$kind">
            <xsl:attribute name="data-pagefind-body" select="''"/>
          </xsl:if>
          <xsl:if test="$kind">
            <span hidden="" data-pagefind-filter="kind:{$kind}"></span>
          </xsl:if>
          <xsl:sequence select="$content"/>
        </main>
        <xsl:call-template name="ed:site-footer"/>
      </body>
    </html>
  </xsl:template>

  <!-- ===== hooks: an edition's profile may override these named templates ================= -->

  <!-- The banner of every page: the edition's title and the navigation. The context is the
       page's source (a TEI document or a register entry); $edition holds the edition's facts. -->
  <xsl:template name="ed:site-header">
    <header class="site-header">
      <div class="site-header-inner">
        <a class="site-title" href="{ed:href('index.html')}">
          <xsl:value-of select="$edition/@title"/>
        </a>
        <nav class="site-nav" aria-label="Edition">
          <ul>
            <li><a href="{ed:href('index.html')}">Documents</a></li>
            <li><a href="{ed:href('registers.html')}">Registers</a></li>
            <li><a href="{ed:href('chronology.html')}">Chronology</a></li>
            <li><a href="{ed:href('search.html')}">Search</a></li>
            <li><a href="{ed:href('about.html')}">About</a></li>
          </ul>
        </nav>
      </div>
    </header>
  </xsl:template>

  <!-- The foot of every page: title, version, build date, licence, how to cite. -->
  <xsl:template name="ed:site-footer">
    <footer class="site-footer">
      <p>
        <a href="{ed:href('index.html')}"><xsl:value-of select="$edition/@title"/></a>
        <xsl:if test="$edition/@version"> · version <xsl:value-of select="$edition/@version"/></xsl:if>
        <xsl:text> · built </xsl:text><xsl:value-of select="ed:format-date($edition/@build-date)"/>
      </p>
      <xsl:if test="$edition/@licence">
        <p class="licence">
          <xsl:choose>
            <xsl:when test="exists(ed:safe-link($edition/@licence-url))">
              <a rel="license" href="{ed:safe-link($edition/@licence-url)}"><xsl:value-of select="ed:licence-short($edition/@licence)"/></a>
            </xsl:when>
            <xsl:otherwise><xsl:value-of select="ed:licence-short($edition/@licence)"/></xsl:otherwise>
          </xsl:choose>
          <xsl:text> · </xsl:text>
          <a href="{ed:href('about.html')}#cite">How to cite</a>
        </p>
      </xsl:if>
    </footer>
  </xsl:template>

  <!-- JSON that cannot end or alter the <script> element holding it: "<", ">" and "&" only
       occur inside JSON strings, where \u003c, \u003e and \u0026 mean the same. -->
  <xsl:function name="ed:script-safe-json" as="xs:string">
    <xsl:param name="json" as="xs:string"/>
    <xsl:sequence select="replace(replace(replace($json, '&amp;', '\\u0026'), '&lt;', '\\u003c'), '&gt;', '\\u003e')"/>
  </xsl:function>

  <!-- The licence's first sentence: the footer names it, the About page gives it whole. -->
  <xsl:function name="ed:licence-short" as="xs:string">
    <xsl:param name="text" as="xs:string?"/>
    <xsl:sequence select="replace(normalize-space($text), '^(.*?[^.\s]{2}\.)\s+\p{Lu}.*$', '$1')"/>
  </xsl:function>

  <!-- A breadcrumb: <a href="path from root">label</a>. -->
  <xsl:function name="ed:crumb" as="element()">
    <xsl:param name="href" as="xs:string"/>
    <xsl:param name="label" as="xs:string"/>
    <a href="{$href}"><xsl:value-of select="$label"/></a>
  </xsl:function>
</xsl:stylesheet>
