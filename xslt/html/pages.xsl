<?xml version="1.0" encoding="UTF-8"?>
<!--
  The site-wide pages: home, About, chronology, registers overview and lists, search, 404,
  and the frame of the encoding guidelines.

  Source: the edition header (tei/edition.xml: title, introduction, editorial principles).
  Parameter $site (tei_edition.model.edition.Site.add_listing) also holds, depending on @page:
    index.html, chronology.html   <document .../>   every document, by date
    chronology.html               <event ...><in href title/></event>   every event, by date, and
                                  <letter .../> every letter (model/letters.py) at its date
    registers.html                <register kind href count/>
    persons/index.html etc.       <entry ... documents="n"/>   the entries of one kind, by name
    (any page)                    <guide/> when the encoding guidelines page exists
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:fn="http://www.w3.org/2005/xpath-functions"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:import href="base.xsl"/>

  <xsl:variable name="page" as="xs:string" select="string($site/site/@page)"/>
  <xsl:variable name="front" select="/tei:TEI/tei:text/tei:front"/>

  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="$page = 'index.html'"><xsl:call-template name="home"/></xsl:when>
      <xsl:when test="$page = 'about.html'"><xsl:call-template name="about"/></xsl:when>
      <xsl:when test="$page = 'chronology.html'"><xsl:call-template name="chronology"/></xsl:when>
      <xsl:when test="$page = 'registers.html'"><xsl:call-template name="registers"/></xsl:when>
      <xsl:when test="$page = 'search.html'"><xsl:call-template name="search"/></xsl:when>
      <xsl:when test="$page = '404.html'"><xsl:call-template name="not-found"/></xsl:when>
      <xsl:when test="$page = 'guide.html'"><xsl:call-template name="guide"/></xsl:when>
      <xsl:otherwise><xsl:call-template name="register-list"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== home ======================================================================= -->

  <xsl:template name="home">
    <xsl:call-template name="ed:page">
      <xsl:with-param name="title" select="string($edition/@title)"/>
      <xsl:with-param name="description" select="string(($edition/@subtitle, $edition/@title)[1])"/>
      <xsl:with-param name="jsonld" select="ed:json(ed:edition-json())"/>
      <xsl:with-param name="content">
        <header class="home-header">
          <h1><xsl:value-of select="$edition/@title"/></h1>
          <xsl:if test="$edition/@subtitle"><p class="subtitle"><xsl:value-of select="$edition/@subtitle"/></p></xsl:if>
          <xsl:call-template name="search-form"/>
        </header>
        <div class="home-grid">
          <div class="introduction">
            <xsl:apply-templates select="$front/tei:div[@type = 'introduction']"/>
          </div>
          <aside class="entry-points" aria-labelledby="registers-heading">
            <h2 id="registers-heading">Registers</h2>
            <ul>
              <xsl:for-each select="('person', 'place', 'organisation', 'event', 'document')">
                <li><a href="{ed:href(ed:folder(.) || '/index.html')}"><xsl:value-of select="ed:kind-label(., true())"/></a></li>
              </xsl:for-each>
              <li><a href="{ed:href('chronology.html')}">Chronology</a></li>
            </ul>
          </aside>
        </div>
        <section class="documents" aria-labelledby="documents-heading">
          <h2 id="documents-heading">Documents</h2>
          <xsl:call-template name="document-table"><xsl:with-param name="documents" select="$site/site/document"/></xsl:call-template>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="document-table">
    <xsl:param name="documents" as="element(document)*"/>
    <table class="document-list">
      <thead><tr><th scope="col">Date</th><th scope="col">Document</th><th scope="col">Place</th><th scope="col">Type</th></tr></thead>
      <tbody>
        <xsl:for-each select="$documents">
          <tr>
            <td class="date"><xsl:if test="@from != ''"><time datetime="{@from}"><xsl:value-of select="ed:format-range(@from, @to)"/></time></xsl:if></td>
            <td><a href="{ed:href(@href)}"><xsl:value-of select="@title"/></a></td>
            <td><xsl:if test="@place"><a href="{ed:href(@place-href)}"><xsl:value-of select="@place-label"/></a></xsl:if></td>
            <td class="type"><xsl:value-of select="@type"/></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <xsl:template name="search-form">
    <form class="search-form" action="{ed:href('search.html')}" method="get" role="search">
      <label for="q-home">Search the edition</label>
      <input id="q-home" type="search" name="q" placeholder="a name, a place, a phrase"/>
      <button type="submit">Search</button>
    </form>
  </xsl:template>

  <xsl:function name="ed:folder" as="xs:string">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:sequence select="map { 'person': 'persons', 'place': 'places', 'organisation': 'organisations',
                                'event': 'events', 'document': 'bibliography' }($kind)"/>
  </xsl:function>

  <!-- ===== about ======================================================================= -->

  <xsl:template name="about">
    <xsl:call-template name="ed:page">
      <xsl:with-param name="title" select="'About the edition'"/>
      <xsl:with-param name="crumbs" select="ed:crumb('index.html', 'Home')"/>
      <xsl:with-param name="kind" select="'About'"/>
      <xsl:with-param name="content">
        <h1>About the edition</h1>
        <xsl:apply-templates select="/tei:TEI/tei:teiHeader/tei:encodingDesc/tei:projectDesc/tei:p"/>
        <xsl:apply-templates select="$front/tei:div[not(@type = 'introduction')]"/>
        <section aria-labelledby="cite-heading" id="cite">
          <h2 id="cite-heading">How to cite the edition</h2>
          <p class="citation">
            <xsl:value-of select="string-join($edition/editor, '; ')"/>
            <xsl:if test="$edition/editor"> (ed.). </xsl:if>
            <cite><xsl:value-of select="$edition/@title"/></cite>
            <xsl:if test="$edition/@subtitle">: <xsl:value-of select="$edition/@subtitle"/></xsl:if>
            <xsl:if test="$edition/@version">. Version <xsl:value-of select="$edition/@version"/></xsl:if>
            <xsl:text>. </xsl:text>
            <xsl:if test="$edition/@publisher"><xsl:value-of select="$edition/@publisher"/>, </xsl:if>
            <xsl:value-of select="$edition/@year"/>
            <xsl:text>. </xsl:text>
            <span class="cite-url" data-path="index.html" data-fixed="no">index.html</span>
            <xsl:text> (accessed [date]).</xsl:text>
          </p>
          <p>Each document page has its own “Cite this document” section with a BibTeX record.</p>
        </section>
        <section aria-labelledby="licence-heading">
          <h2 id="licence-heading">Licence</h2>
          <p>
            <xsl:value-of select="$edition/@licence"/>
            <xsl:for-each select="ed:safe-link($edition/@licence-url)"><xsl:text> </xsl:text><a rel="license" href="{.}"><xsl:value-of select="."/></a></xsl:for-each>
          </p>
        </section>
        <section aria-labelledby="version-heading">
          <h2 id="version-heading">Version</h2>
          <dl class="facts">
            <xsl:if test="$edition/@version"><dt>Version</dt><dd><xsl:value-of select="$edition/@version"/></dd></xsl:if>
            <xsl:if test="$edition/@idno"><dt>Identifier</dt><dd><xsl:value-of select="$edition/@idno"/></dd></xsl:if>
            <dt>Built</dt><dd><time datetime="{$edition/@build-date}"><xsl:value-of select="ed:format-date($edition/@build-date)"/></time>, with tei-edition <xsl:value-of select="$edition/@pipeline-version"/></dd>
          </dl>
          <xsl:variable name="changes" select="/tei:TEI/tei:teiHeader/tei:revisionDesc/tei:change"/>
          <xsl:if test="$changes">
            <h3>Changes</h3>
            <ul>
              <xsl:for-each select="$changes">
                <li><xsl:if test="@when"><time datetime="{@when}"><xsl:value-of select="ed:format-date(@when)"/></time>: </xsl:if><xsl:apply-templates/></li>
              </xsl:for-each>
            </ul>
          </xsl:if>
        </section>
        <xsl:if test="$site/site/guide">
          <section aria-labelledby="guide-heading">
            <h2 id="guide-heading">Encoding guidelines</h2>
            <p>How the documents and registers are encoded in TEI: <a href="{ed:href('guide.html')}">the encoding guidelines</a>.</p>
          </section>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== chronology ================================================================== -->

  <xsl:template name="chronology">
    <xsl:call-template name="ed:page">
      <xsl:with-param name="title" select="'Chronology'"/>
      <xsl:with-param name="crumbs" select="ed:crumb('index.html', 'Home')"/>
      <xsl:with-param name="content">
        <h1>Chronology</h1>
        <p class="lead">All events of the registers by date, with the documents that name them<xsl:if
            test="$site/site/letter">, and the letters, each on the date it was written</xsl:if>.</p>
        <ol class="timeline">
          <xsl:for-each select="$site/site/(event | letter)">
            <xsl:choose>
              <xsl:when test="self::letter"><xsl:call-template name="timeline-letter"/></xsl:when>
              <xsl:otherwise>
                <li>
                  <xsl:variable name="date" select="ed:entity-dates(.)"/>
                  <p class="timeline-date">
                    <xsl:choose>
                      <xsl:when test="$date"><time datetime="{(@when, @from, @notBefore, @notAfter)[1]}"><xsl:value-of select="$date"/></time></xsl:when>
                      <xsl:otherwise>Undated</xsl:otherwise>
                    </xsl:choose>
                  </p>
                  <div class="timeline-body">
                    <p class="timeline-title"><a href="{ed:href(@href)}"><xsl:value-of select="ed:entity-name(.)"/></a>
                      <xsl:if test="@type != ''"> <span class="tag"><xsl:value-of select="@type"/></span></xsl:if></p>
                    <xsl:if test="in">
                      <ul class="timeline-docs">
                        <xsl:for-each select="in"><li>Document: <a href="{ed:href(@href)}"><xsl:value-of select="@title"/></a></li></xsl:for-each>
                      </ul>
                    </xsl:if>
                  </div>
                </li>
              </xsl:otherwise>
            </xsl:choose>
          </xsl:for-each>
        </ol>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A letter in the chronology: its date, its title, from whom to whom (model/letters.py). -->
  <xsl:template name="timeline-letter">
    <li class="timeline-letter">
      <p class="timeline-date">
        <xsl:choose>
          <xsl:when test="@from != ''"><time datetime="{@from}"><xsl:value-of select="ed:format-range(@from, @to)"/></time></xsl:when>
          <xsl:otherwise>Undated</xsl:otherwise>
        </xsl:choose>
      </p>
      <div class="timeline-body">
        <p class="timeline-title">Letter: <a href="{ed:href(@href)}"><xsl:value-of select="@title"/></a></p>
      </div>
    </li>
  </xsl:template>

  <!-- ===== registers ==================================================================== -->

  <xsl:template name="registers">
    <xsl:call-template name="ed:page">
      <xsl:with-param name="title" select="'Registers'"/>
      <xsl:with-param name="crumbs" select="ed:crumb('index.html', 'Home')"/>
      <xsl:with-param name="content">
        <h1>Registers</h1>
        <p class="lead">Every person, place, organisation, event and document named in the records, each with the documents that name it.</p>
        <ul class="register-overview">
          <xsl:for-each select="$site/site/register">
            <li><a href="{ed:href(@href)}"><xsl:value-of select="ed:kind-label(@kind, true())"/></a>
              <span class="count"><xsl:value-of select="@count"/><xsl:value-of select="if (@count = '1') then ' entry' else ' entries'"/></span></li>
          </xsl:for-each>
        </ul>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="register-list">
    <xsl:variable name="kind" select="string($site/site/@kind)"/>
    <xsl:call-template name="ed:page">
      <xsl:with-param name="title" select="ed:kind-label($kind, true())"/>
      <xsl:with-param name="crumbs" select="ed:crumb('index.html', 'Home'), ed:crumb('registers.html', 'Registers')"/>
      <xsl:with-param name="content">
        <h1><xsl:value-of select="ed:kind-label($kind, true())"/></h1>
        <xsl:choose>
          <xsl:when test="$site/site/entry">
            <ul class="register-list">
              <xsl:for-each select="$site/site/entry">
                <li>
                  <a href="{ed:href(@href)}"><xsl:value-of select="ed:entity-name(.)"/></a>
                  <xsl:for-each select="ed:entity-original(.)"><xsl:text> </xsl:text><span class="original" lang="{(@lang, 'und')[1]}"><xsl:value-of select="."/></span></xsl:for-each>
                  <xsl:variable name="dates" select="ed:entity-dates(.)"/>
                  <xsl:if test="$dates"><span class="dates"><xsl:value-of select="$dates"/></span></xsl:if>
                  <span class="count"><xsl:value-of select="@documents"/><xsl:value-of select="if (@documents = '1') then ' document' else ' documents'"/></span>
                </li>
              </xsl:for-each>
            </ul>
          </xsl:when>
          <xsl:otherwise><p class="none">This register has no entries.</p></xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== search ====================================================================== -->

  <xsl:template name="search">
    <xsl:call-template name="ed:page">
      <xsl:with-param name="title" select="'Search'"/>
      <xsl:with-param name="crumbs" select="ed:crumb('index.html', 'Home')"/>
      <xsl:with-param name="head-extra">
        <link rel="stylesheet" href="{ed:href('pagefind/pagefind-ui.css')}"/>
        <script src="{ed:href('pagefind/pagefind-ui.js')}" defer=""></script>
      </xsl:with-param>
      <xsl:with-param name="content">
        <h1>Search</h1>
        <p class="lead">Search the documents and registers. Filter the results by kind: document, person, place, organisation, event.</p>
        <label class="search-label" for="search-input">Search the documents and registers</label>
        <div id="search" class="search-ui" data-bundle="{ed:href('pagefind/')}"></div>
        <noscript><p class="notice">Search needs JavaScript. The <a href="{ed:href('registers.html')}">registers</a> list every name.</p></noscript>
        <p class="notice" id="search-offline" hidden="">Search cannot run on a copy opened from disk (file://), because browsers do not let pages read files there. Serve the folder, for example with <code>python3 -m http.server</code> in it, or use the <a href="{ed:href('registers.html')}">registers</a>.</p>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== 404 ======================================================================== -->

  <xsl:template name="not-found">
    <xsl:call-template name="ed:page">
      <xsl:with-param name="title" select="'Page not found'"/>
      <xsl:with-param name="content">
        <h1>Page not found</h1>
        <p class="lead">There is no page at this address in the edition.</p>
        <p>Go to the <a href="{ed:href('index.html')}">list of documents</a>, the <a href="{ed:href('registers.html')}">registers</a> or <a href="{ed:href('search.html')}">search</a>.</p>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== encoding guidelines (the body comes from tei_edition.writers.html.guide) =========== -->

  <xsl:template name="guide">
    <xsl:call-template name="ed:page">
      <xsl:with-param name="title" select="'Encoding guidelines'"/>
      <xsl:with-param name="crumbs" select="ed:crumb('index.html', 'Home'), ed:crumb('about.html', 'About')"/>
      <xsl:with-param name="content">
        <div class="guide"><xsl:comment>guide-body</xsl:comment></div>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== JSON-LD ===================================================================== -->

  <xsl:function name="ed:edition-json" as="element(fn:map)">
    <fn:map>
      <fn:string key="@context">https://schema.org</fn:string>
      <fn:string key="@type">CreativeWork</fn:string>
      <fn:string key="name"><xsl:value-of select="$edition/@title"/></fn:string>
      <xsl:sequence select="ed:js('alternativeHeadline', $edition/@subtitle), ed:js('version', $edition/@version),
                            ed:js('license', ed:safe-link($edition/@licence-url)), ed:js('publisher', $edition/@publisher),
                            ed:js('datePublished', $edition/@date)"/>
      <xsl:if test="$site/site/document">
        <fn:array key="hasPart">
          <xsl:for-each select="$site/site/document">
            <fn:map>
              <fn:string key="@type">CreativeWork</fn:string>
              <fn:string key="name"><xsl:value-of select="@title"/></fn:string>
              <fn:string key="url"><xsl:value-of select="ed:href(@href)"/></fn:string>
            </fn:map>
          </xsl:for-each>
        </fn:array>
      </xsl:if>
    </fn:map>
  </xsl:function>
</xsl:stylesheet>
