<?xml version="1.0" encoding="UTF-8"?>
<!--
  One document of the edition as a web page.

  Source: the TEI document. Parameter $site (built by tei_edition.model.edition, see
  functions.xsl for the pointer/entity part and docs/semantic-layer.md) also holds:
    <edition .../>                       title, version, licence, build date of the edition
    <document id href source from to title place-href place-label event-href event-label type>
      <date/> <place/> <role/>* <sent/> <received/> <context/>*   what the document states
                                         (Site.document_facts, model/letters.py);
    </document>                          the print chapter (print/document.xsl) states the same
    <prev .../> <next .../>              neighbours by date (same attributes), when there are any
    <cite url="..."/>                    the page's stable URL when [html] base-url is configured
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:fn="http://www.w3.org/2005/xpath-functions"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:import href="base.xsl"/>
  <xsl:include href="citation.xsl"/>
  <xsl:include href="facsimile.xsl"/>
  <xsl:include href="apparatus.xsl"/>

  <xsl:variable name="this" as="element(document)" select="$site/site/document"/>
  <xsl:variable name="text" as="element(tei:text)?" select="/tei:TEI/tei:text"/>
  <xsl:variable name="header" as="element(tei:teiHeader)?" select="/tei:TEI/tei:teiHeader"/>

  <xsl:template match="/">
    <xsl:call-template name="ed:page">
      <xsl:with-param name="title" select="string($this/@title)"/>
      <xsl:with-param name="kind" select="'Document'"/>
      <xsl:with-param name="crumbs" select="ed:crumb('index.html', 'Documents')"/>
      <xsl:with-param name="jsonld" select="ed:json(ed:document-json())"/>
      <xsl:with-param name="description" select="'Record: ' || $this/@title"/>
      <xsl:with-param name="head-extra"><xsl:call-template name="ed:facsimile-head"/></xsl:with-param>
      <xsl:with-param name="content">
        <article class="document">
          <header class="document-header">
            <p class="kicker">
              <xsl:value-of select="($this/@type ! (upper-case(substring(., 1, 1)) || substring(., 2)), 'Document')[1]"/>
              <xsl:for-each select="$this/date"> · <xsl:value-of select="ed:element-date(.)"/></xsl:for-each>
            </p>
            <h1 data-pagefind-meta="title"><xsl:value-of select="$this/@title"/></h1>
            <xsl:call-template name="facts"/>
          </header>
          <xsl:call-template name="ed:with-facsimile">
            <xsl:with-param name="text" as="element()">
              <div class="document-text">
                <xsl:apply-templates select="$text/(tei:front, tei:body, tei:back)"/>
              </div>
            </xsl:with-param>
          </xsl:call-template>
          <xsl:call-template name="ed:footnotes">
            <xsl:with-param name="notes" select="$text//tei:note[ed:is-footnote(.)]"/>
          </xsl:call-template>
          <xsl:call-template name="sources"/>
          <xsl:call-template name="cite-document"/>
          <xsl:call-template name="prev-next"/>
        </article>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== the facts of the meeting ====================================================== -->

  <xsl:template name="facts">
    <dl class="facts">
      <xsl:for-each select="$this/date">
        <dt>Date</dt>
        <dd>
          <time datetime="{(@when, @from, @notBefore, @notAfter)[1]}"><xsl:value-of select="ed:element-date(.)"/></time>
          <xsl:if test="normalize-space(.)">
            <span class="as-written"> (record: <xsl:value-of select="."/>)</span>
          </xsl:if>
        </dd>
      </xsl:for-each>
      <xsl:for-each select="$this/place">
        <dt>Place</dt>
        <dd><xsl:call-template name="fact-link"><xsl:with-param name="id" select="string(@ref)"/><xsl:with-param name="text" select="string(.)"/></xsl:call-template></dd>
      </xsl:for-each>
      <xsl:for-each select="$this[@event]">
        <dt>Type of meeting</dt>
        <dd>
          <xsl:if test="@type"><span class="meeting-type"><xsl:value-of select="@type"/></span>: </xsl:if>
          <xsl:call-template name="fact-link"><xsl:with-param name="id" select="string(@event)"/></xsl:call-template>
        </dd>
      </xsl:for-each>
      <!-- A letter's sender and addressee, and where it was sent from (correspDesc). -->
      <xsl:for-each select="$this/(sent, received)[who]">
        <dt><xsl:value-of select="ed:correspondent-heading(local-name())"/></dt>
        <dd>
          <ul class="inline-list">
            <xsl:for-each select="who">
              <li><xsl:call-template name="fact-link">
                <xsl:with-param name="id" select="string(@ref)"/><xsl:with-param name="text" select="string(.)"/>
                <xsl:with-param name="card" select="'fact-card-' || local-name(..) || '-' || @ref"/>
              </xsl:call-template></li>
            </xsl:for-each>
          </ul>
        </dd>
      </xsl:for-each>
      <!-- where a letter was sent from, unless that is the document's place, stated above -->
      <xsl:for-each select="$this/sent[place[not(@ref and @ref = $this/place/@ref or . = $this/place)]]">
        <dt>Sent from</dt>
        <dd><xsl:for-each select="place[not(@ref and @ref = $this/place/@ref or . = $this/place)]">
          <xsl:if test="position() gt 1">, </xsl:if>
          <xsl:call-template name="fact-link">
            <xsl:with-param name="id" select="string(@ref)"/><xsl:with-param name="text" select="string(.)"/>
            <xsl:with-param name="card" select="'fact-card-sent-from-' || @ref"/>
          </xsl:call-template>
        </xsl:for-each></dd>
      </xsl:for-each>
      <!-- where and when a letter was received, when it was sent if the date above is another;
           the previous and next letters its correspContext names (model/letters.py) -->
      <xsl:for-each select="$this/received[place]">
        <dt><xsl:value-of select="ed:letter-heading('received-place')"/></dt>
        <dd><xsl:for-each select="place">
          <xsl:if test="position() gt 1">, </xsl:if>
          <xsl:call-template name="fact-link">
            <xsl:with-param name="id" select="string(@ref)"/><xsl:with-param name="text" select="string(.)"/>
            <xsl:with-param name="card" select="'fact-card-received-at-' || @ref"/>
          </xsl:call-template>
        </xsl:for-each></dd>
      </xsl:for-each>
      <xsl:for-each select="$this/(sent[not($this/date/@source = 'sent')], received)/date">
        <dt><xsl:value-of select="ed:letter-heading(local-name(..) || '-date')"/></dt>
        <dd>
          <time datetime="{(@when, @from, @notBefore, @notAfter)[1]}"><xsl:value-of select="ed:element-date(.)"/></time>
          <xsl:if test="normalize-space(.)"><span class="as-written"> (record: <xsl:value-of select="."/>)</span></xsl:if>
        </dd>
      </xsl:for-each>
      <xsl:for-each select="$this/context">
        <dt><xsl:value-of select="ed:letter-heading(@direction)"/></dt>
        <dd class="correspondence-context">
          <xsl:choose>
            <xsl:when test="@href">
              <a class="document-link" rel="{if (@direction = 'previous') then 'prev' else 'next'}" href="{ed:href(@href)}"><xsl:value-of select="."/></a>
            </xsl:when>
            <xsl:otherwise>
              <span class="not-in-edition"><xsl:value-of select="."/></span> <span class="note"> (not in this edition)</span>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:choose>
            <xsl:when test="@correspondence">
              <span class="correspondence"> (correspondence: <xsl:call-template name="fact-link">
                <xsl:with-param name="id" select="string(@correspondence)"/>
                <xsl:with-param name="card" select="'fact-card-' || @direction || '-' || position() || '-' || @correspondence"/>
              </xsl:call-template>)</span>
            </xsl:when>
            <xsl:when test="@name"><span class="correspondence"> (<xsl:value-of select="@name"/>)</span></xsl:when>
          </xsl:choose>
        </dd>
      </xsl:for-each>
      <!-- Participants: every register entry named with a role, grouped by the role, in the
           order the text first gives each role (model/edition.py Site.document_facts). -->
      <xsl:for-each select="$this/role">
        <dt><xsl:value-of select="ed:role-heading(@name)"/></dt>
        <dd>
          <ul class="inline-list">
            <xsl:for-each select="who">
              <li>
                <xsl:call-template name="fact-link">
                  <xsl:with-param name="id" select="string(@ref)"/>
                  <xsl:with-param name="card" select="'fact-card-' || replace(../@name, '[^\w-]', '_') || '-' || @ref"/>
                </xsl:call-template>
              </li>
            </xsl:for-each>
          </ul>
        </dd>
      </xsl:for-each>
    </dl>
  </xsl:template>

  <xsl:template name="fact-link">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="text" as="xs:string" select="$id"/>
    <xsl:param name="card" as="xs:string" select="'fact-card-' || $id"/>
    <xsl:variable name="entity" select="key('ed:entity', $id, $site)"/>
    <xsl:choose>
      <xsl:when test="$id and $entity">
        <xsl:call-template name="ed:entity-link">
          <xsl:with-param name="entity" select="$entity"/>
          <xsl:with-param name="id" select="$card"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== source and literature ========================================================== -->

  <xsl:template name="sources">
    <xsl:variable name="source" select="$header/tei:fileDesc/tei:sourceDesc"/>
    <!-- literature: entries the source description, the notes and bibliographic references cite
         (only elements with a pointer can name one: the others are not asked) -->
    <xsl:variable name="cited" as="element()*">
      <xsl:for-each-group select="($source//*, $text//tei:note//*, $text//tei:bibl)[@ref or @key or @target or @corresp]
                                   ! (ed:entities(.), tokenize(@corresp) ! key('ed:entity', key('ed:pointer', ., $site)/@entity, $site))
                                   [@kind = 'document']" group-by="@id">
        <xsl:sequence select="."/>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:variable name="named" as="element()*">
      <xsl:for-each-group select="$text//*[@ref or @key or @target] ! ed:entities(.)[@kind = 'document'][not(@id = $cited/@id)]" group-by="@id">
        <xsl:sequence select="."/>
      </xsl:for-each-group>
    </xsl:variable>
    <section class="sources" aria-labelledby="source-heading">
      <h2 id="source-heading">Source</h2>
      <xsl:apply-templates select="$source/*"/>
      <xsl:if test="exists($cited)">
        <h3>Literature cited</h3>
        <ul class="bibliography">
          <xsl:for-each select="$cited">
            <li><xsl:call-template name="bibliographic-entry"/></li>
          </xsl:for-each>
        </ul>
      </xsl:if>
      <xsl:if test="exists($named)">
        <h3>Documents named in the record</h3>
        <ul class="bibliography">
          <xsl:for-each select="$named">
            <li><xsl:call-template name="bibliographic-entry"/></li>
          </xsl:for-each>
        </ul>
      </xsl:if>
    </section>
  </xsl:template>

  <!-- Author, title (linked to its register page), date. -->
  <xsl:template name="bibliographic-entry">
    <xsl:for-each select="author[1]"><xsl:value-of select="."/>, </xsl:for-each>
    <a href="{ed:href(@href)}"><cite><xsl:value-of select="ed:entity-name(.)"/></cite></a>
    <xsl:if test="@when">, <xsl:value-of select="ed:format-date(@when)"/></xsl:if>
    <xsl:text>.</xsl:text>
  </xsl:template>

  <xsl:template match="tei:sourceDesc/tei:bibl" priority="3">
    <div class="source-record">
      <xsl:for-each select="tei:title">
        <p class="source-title"><xsl:apply-templates/></p>
      </xsl:for-each>
      <xsl:for-each select="tei:idno">
        <p class="source-idno">Record <code><xsl:value-of select="."/></code></p>
      </xsl:for-each>
      <xsl:for-each select="* except (tei:title, tei:idno)">
        <p><xsl:apply-templates select="."/></p>
      </xsl:for-each>
    </div>
  </xsl:template>

  <!-- ===== previous / next =============================================================== -->

  <xsl:template name="prev-next">
    <xsl:variable name="prev" select="$site/site/prev"/>
    <xsl:variable name="next" select="$site/site/next"/>
    <nav class="prev-next" aria-label="Previous and next document by date">
      <xsl:choose>
        <xsl:when test="$prev">
          <a class="prev" rel="prev" href="{ed:href($prev/@href)}">
            <span class="dir">← Previous</span>
            <span class="doc-title"><xsl:value-of select="$prev/@title"/></span>
          </a>
        </xsl:when>
        <xsl:otherwise><span class="prev none">This is the earliest document.</span></xsl:otherwise>
      </xsl:choose>
      <xsl:choose>
        <xsl:when test="$next">
          <a class="next" rel="next" href="{ed:href($next/@href)}">
            <span class="dir">Next →</span>
            <span class="doc-title"><xsl:value-of select="$next/@title"/></span>
          </a>
        </xsl:when>
        <xsl:otherwise><span class="next none">This is the latest document.</span></xsl:otherwise>
      </xsl:choose>
    </nav>
  </xsl:template>

  <!-- ===== JSON-LD ======================================================================= -->

  <xsl:function name="ed:document-json" as="element(fn:map)">
    <fn:map>
      <fn:string key="@context">https://schema.org</fn:string>
      <fn:string key="@type">CreativeWork</fn:string>
      <fn:string key="name"><xsl:value-of select="$this/@title"/></fn:string>
      <xsl:sequence select="ed:js('identifier', $this/@id), ed:js('inLanguage', ed:lang($text)),
                            ed:js('license', ed:safe-link($edition/@licence-url)), ed:js('version', $edition/@version),
                            ed:js('encodingFormat', 'text/html')"/>
      <fn:map key="isPartOf">
        <fn:string key="@type">CreativeWork</fn:string>
        <fn:string key="name"><xsl:value-of select="$edition/@title"/></fn:string>
      </fn:map>
      <xsl:for-each select="$this[@event]">
        <xsl:variable name="event" select="key('ed:entity', @event, $site)"/>
        <fn:map key="about">
          <fn:string key="@type">Event</fn:string>
          <fn:string key="name"><xsl:value-of select="ed:entity-name($event)"/></fn:string>
          <xsl:sequence select="ed:js('startDate', ($this/@from, $event/@from, $event/@when)[.][1]),
                                ed:js('endDate', ($this/@to, $event/@to)[.][1])"/>
          <xsl:for-each select="$this[@place]">
            <fn:map key="location">
              <fn:string key="@type">Place</fn:string>
              <fn:string key="name"><xsl:value-of select="@place-label"/></fn:string>
            </fn:map>
          </xsl:for-each>
        </fn:map>
      </xsl:for-each>
      <xsl:variable name="mentioned" select="$site/site/entity"/>
      <xsl:if test="$mentioned">
        <fn:array key="mentions">
          <xsl:sequence select="$mentioned ! ed:entity-json(., ())"/>
        </fn:array>
      </xsl:if>
    </fn:map>
  </xsl:function>
</xsl:stylesheet>
