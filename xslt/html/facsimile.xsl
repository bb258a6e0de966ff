<?xml version="1.0" encoding="UTF-8"?>
<!--
  A document's facsimile beside its text: the image viewer (OpenSeadragon, driven by
  assets/facsimile.js), and each page break tied to its image.

  $site/site/facsimile (writers/html/facsimile.py) lists the surfaces in document order:
    <facsimile manifest?><surface index id label kind url service info?/>* <image-host/>*</facsimile>
  A pb whose @facs points to a listed surface ("#id") carries the surface's position
  (data-facs-index); the script keeps the viewer on the page the reader is at, and a click on the
  image brings the text to that page. The viewer's data travels in a JSON data block, never in
  executable inline script (the page's Content-Security-Policy allows none).
  Without a facsimile every template here gives what the page had before.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:variable name="ed:facsimile" as="element(facsimile)?" select="$site/site/facsimile[surface]"/>

  <!-- What the head of a page with a facsimile needs: the viewer's style and scripts, and the
       manifest, announced for IIIF-aware tools. -->
  <xsl:template name="ed:facsimile-head">
    <xsl:if test="$ed:facsimile">
      <link rel="stylesheet" href="{ed:href('assets/facsimile.css')}"/>
      <!-- empty: it only tells the viewer not to add its own (its rule is in facsimile.css) -->
      <style data-openseadragon-mobile-css="true"></style>
      <xsl:for-each select="$ed:facsimile/@manifest">
        <link rel="alternate" type="application/ld+json" title="IIIF manifest" href="{ed:href(.)}"/>
      </xsl:for-each>
      <script src="{ed:href('assets/openseadragon/openseadragon.min.js')}" defer=""></script>
      <script src="{ed:href('assets/facsimile.js')}" defer=""></script>
    </xsl:if>
  </xsl:template>

  <!-- The document's text, with the viewer beside it when there is a facsimile. -->
  <xsl:template name="ed:with-facsimile">
    <xsl:param name="text" as="element()"/>
    <xsl:choose>
      <xsl:when test="$ed:facsimile">
        <div class="facsimile-layout">
          <xsl:sequence select="$text"/>
          <xsl:call-template name="ed:facsimile-viewer"/>
        </div>
      </xsl:when>
      <xsl:otherwise><xsl:sequence select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="ed:facsimile-viewer">
    <xsl:variable name="surfaces" select="$ed:facsimile/surface"/>
    <aside class="facsimile" id="facsimile" aria-labelledby="facsimile-heading" data-pagefind-ignore="all">
      <div class="facsimile-bar">
        <h2 id="facsimile-heading">Facsimile</h2>
        <p class="facsimile-position" aria-live="polite">
          <xsl:value-of select="'Image 1 of ' || count($surfaces) || ': ' || $surfaces[1]/@label"/>
        </p>
        <button type="button" class="facsimile-to-text" hidden="">Go to this page in the text</button>
        <xsl:for-each select="$ed:facsimile/@manifest">
          <a class="facsimile-manifest" href="{ed:href(.)}">IIIF manifest</a>
        </xsl:for-each>
      </div>
      <p class="facsimile-status" role="status" hidden=""></p>
      <div class="facsimile-viewer" id="facsimile-viewer" role="region" tabindex="0"
           aria-label="Image of the page: drag to pan, scroll or pinch to zoom"></div>
      <noscript>
        <p class="facsimile-status">The zoomable images need JavaScript. The images themselves:</p>
        <ol class="facsimile-links">
          <xsl:for-each select="$surfaces">
            <li><a href="{ed:facsimile-image-link(.)}"><xsl:value-of select="@label"/></a></li>
          </xsl:for-each>
        </ol>
      </noscript>
      <script type="application/json" id="facsimile-data">
        <xsl:value-of select="ed:script-safe-json(serialize(ed:facsimile-data($surfaces), map {'method': 'json'}))"
                      disable-output-escaping="yes"/>
      </script>
    </aside>
  </xsl:template>

  <!-- What the viewer opens for each surface: a local image's info.json itself (a page opened
       from disk may not fetch it), a IIIF service's info.json address, or a plain image. -->
  <xsl:function name="ed:facsimile-data" as="map(*)">
    <xsl:param name="surfaces" as="element(surface)*"/>
    <xsl:sequence select="map {
        'root': $root, 'images': ed:href('assets/openseadragon/'),
        'pages': array { $surfaces ! map {
          'index': xs:integer(@index), 'label': string(@label), 'kind': string(@kind),
          'host': if (@kind = 'local') then '' else replace(@url, '^(https?://[^/?#]+).*$', '$1'),
          'source': if (@info) then parse-json(@info)
                    else if (@kind = 'service') then @service || '/info.json'
                    else if (@kind = 'image') then map {'type': 'image', 'url': string(@url)}
                    else ''
        } }
      }"/>
  </xsl:function>

  <xsl:function name="ed:facsimile-image-link" as="xs:string">
    <xsl:param name="surface" as="element(surface)"/>
    <xsl:sequence select="if ($surface/@info) then ed:href(parse-json($surface/@info)?id || '/full/max/0/default.jpg')
                          else if ($surface/@kind = 'local') then '#facsimile' else string($surface/@url)"/>
  </xsl:function>

  <!-- A page break tied to an image: the break as the common layer draws it, and a link that
       shows the image in the viewer. -->
  <xsl:template match="tei:pb[@facs]">
    <xsl:variable name="surface" select="$ed:facsimile/surface[@id][@id = substring-after(tokenize(current()/@facs)[1], '#')]"/>
    <xsl:choose>
      <xsl:when test="$surface">
        <span class="facs-pb" data-facs-index="{$surface[1]/@index}">
          <xsl:next-match/>
          <!-- the label is drawn by CSS from data-label: the page's text (search, copying) stays the source's -->
          <a class="facs-link" href="#facsimile" data-facs-index="{$surface[1]/@index}" data-label="{$surface[1]/@label}"
             aria-label="{'Show image ' || $surface[1]/@label}" title="{'Show image ' || $surface[1]/@label}"></a>
        </span>
      </xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
