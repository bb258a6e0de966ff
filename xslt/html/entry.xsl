<?xml version="1.0" encoding="UTF-8"?>
<!--
  One register entry (person, place, organisation, event, document) as a web page.

  Source: the entry element (<person>, <place>, <org>, <event>, <bibl> ...) as its own document.
  Parameter $site (tei_edition.model.edition.Site.add_entry_facts) also holds:
    <this .../>                    the entry's own card (kind, href, names, dates)
    <mention href title from to roles count place-label .../>   each document naming it, by date
    <entry-mention ref="id"/>      register entries that name it (cards in <entity>)
    <related-event ref="id"/>      events it belongs to (cards in <entity>)
    <letter action="sent|received" href title from to .../>   letters it sent or received, by date
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:fn="http://www.w3.org/2005/xpath-functions"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <xsl:import href="base.xsl"/>

  <xsl:variable name="me" as="element()" select="$site/site/this"/>
  <xsl:variable name="kind" as="xs:string" select="string($me/@kind)"/>
  <!-- The elements that name an entry, by kind (as tei_edition.model.cards.NAME_ELEMENTS). -->
  <xsl:variable name="name-elements" as="xs:string+" select="map {
      'person': ('persName', 'name', 'addName'), 'place': ('placeName', 'name', 'geogName'),
      'organisation': ('orgName', 'name'), 'event': ('label', 'name', 'head'), 'document': 'title' }($kind)"/>

  <xsl:template match="/*">
    <xsl:variable name="title" select="ed:entity-name($me)"/>
    <xsl:call-template name="ed:page">
      <xsl:with-param name="title" select="$title"/>
      <!-- the search filter: register documents are not the edition's documents -->
      <xsl:with-param name="kind" select="if ($kind = 'document') then 'Bibliography' else ed:kind-label($kind, false())"/>
      <xsl:with-param name="crumbs" select="ed:crumb('registers.html', 'Registers'),
                                            ed:crumb(substring-before($me/@href, '/') || '/index.html', ed:kind-label($kind, true()))"/>
      <xsl:with-param name="jsonld" select="ed:json(ed:entry-json(.))"/>
      <xsl:with-param name="description" select="ed:kind-label($kind, false()) || ': ' || $title"/>
      <xsl:with-param name="content">
        <article class="entry kind-{$kind}">
          <header>
            <p class="kicker">
              <xsl:value-of select="ed:kind-label($kind, false())"/>
              <xsl:if test="@type"> · <xsl:value-of select="@type"/></xsl:if>
            </p>
            <h1 data-pagefind-meta="title">
              <xsl:value-of select="$title"/>
              <xsl:for-each select="ed:entity-original($me)">
                <xsl:text> </xsl:text>
                <span class="original" lang="{(@lang, 'und')[1]}"><xsl:value-of select="."/></span>
              </xsl:for-each>
            </h1>
          </header>
          <xsl:call-template name="entry-facts"/>
          <xsl:variable name="rest" select="* except (*[local-name() = $name-elements][not(self::tei:title[@type = 'desc'])],
                                                       tei:birth, tei:death, tei:idno, tei:location, tei:date, tei:author,
                                                       *[@role and (@ref or @key)])"/>
          <xsl:if test="$rest">
            <div class="entry-text">
              <xsl:apply-templates select="$rest"/>
            </div>
          </xsl:if>
          <xsl:call-template name="letters"/>
          <xsl:call-template name="appears-in"/>
        </article>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== names, dates, places, identifiers ============================================= -->

  <xsl:template name="entry-facts">
    <dl class="facts">
      <xsl:variable name="names" select="*[local-name() = $name-elements][not(@type = 'desc')]"/>
      <xsl:if test="$names">
        <dt><xsl:value-of select="if (count($names) = 1) then 'Name' else 'Names'"/></dt>
        <dd>
          <ul class="names">
            <xsl:for-each select="$names">
              <li>
                <xsl:element name="{if (self::tei:title) then 'cite' else 'span'}">
                  <xsl:attribute name="class" select="'name'"/>
                  <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
                  <xsl:choose>
                    <!-- a name encoded surname first as the card says it: "Arthur Schnitzler" -->
                    <xsl:when test="self::tei:persName[tei:forename[preceding-sibling::tei:surname]]">
                      <xsl:value-of select="$me/name[count(current()/preceding-sibling::*[local-name() = $name-elements]) + 1]"/>
                    </xsl:when>
                    <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
                  </xsl:choose>
                </xsl:element>
                <xsl:variable name="what" select="string-join((ed:name-type(@type), ed:language-name(@xml:lang)), ', ')"/>
                <xsl:if test="$what"><span class="name-type"> (<xsl:value-of select="$what"/>)</span></xsl:if>
              </li>
            </xsl:for-each>
          </ul>
        </dd>
      </xsl:if>
      <xsl:for-each select="tei:author">
        <dt>Author</dt>
        <dd><xsl:apply-templates/></dd>
      </xsl:for-each>
      <!-- people and bodies with a role in the entry (the issuer of a resolution, ...) -->
      <xsl:for-each select="*[@role and (@ref or @key)][not(local-name() = $name-elements)]">
        <dt><xsl:value-of select="if (@role = 'issuer') then 'Issued by' else upper-case(substring(ed:role-label(@role), 1, 1)) || substring(ed:role-label(@role), 2)"/></dt>
        <dd><xsl:apply-templates select="."/></dd>
      </xsl:for-each>
      <xsl:for-each select="tei:birth, tei:death">
        <dt><xsl:value-of select="if (self::tei:birth) then 'Born' else 'Died'"/></dt>
        <!-- a birth written with a <date> and a place element: the card's date and place -->
        <xsl:variable name="card-date" select="$me/@*[local-name() = local-name(current())][. != '']"/>
        <xsl:variable name="card-place" select="$me/@*[local-name() = local-name(current()) || '-place']"/>
        <xsl:variable name="said" select="if (*) then string-join(((ed:element-date(.)[.], $card-date ! ed:format-date(.))[1], $card-place), ', ')
                                          else string-join((ed:element-date(.)[.], normalize-space(.)[.]), ', ')"/>
        <dd><xsl:value-of select="($said[.], normalize-space(.))[1]"/></dd>
      </xsl:for-each>
      <xsl:if test="self::tei:event and (@when or @from or @to or @notBefore or @notAfter)">
        <dt>Date</dt>
        <dd><time datetime="{(@when, @from, @notBefore, @notAfter)[1]}"><xsl:value-of select="ed:element-date(.)"/></time></dd>
      </xsl:if>
      <xsl:for-each select="tei:date">
        <dt>Date</dt>
        <dd><xsl:value-of select="(ed:element-date(.)[.], normalize-space(.))[1]"/></dd>
      </xsl:for-each>
      <xsl:if test="@where">
        <dt>Place</dt>
        <dd><xsl:apply-templates select="." mode="where"/></dd>
      </xsl:if>
      <xsl:for-each select="tei:location">
        <dt>Location</dt>
        <dd>
          <xsl:for-each select="tei:geo">
            <span class="geo"><xsl:value-of select="ed:coordinates(.)"/></span>
          </xsl:for-each>
          <xsl:apply-templates select="* except tei:geo"/>
        </dd>
      </xsl:for-each>
      <!-- identifiers from the entry's card: a typed bare identifier (GND, Wikidata, VIAF,
           GeoNames) is linked to its authority file (tei_edition.model.facts.identifier_url) -->
      <xsl:if test="$me/idno">
        <dt>Identifiers</dt>
        <dd>
          <ul class="identifiers">
            <xsl:for-each select="$me/idno">
              <li>
                <xsl:if test="@label or @type != ''"><span class="idno-type"><xsl:value-of select="(@label, ed:idno-type(@type))[1]"/>: </span></xsl:if>
                <xsl:choose>
                  <xsl:when test="exists(ed:safe-link(@url))">
                    <a class="external" href="{ed:safe-link(@url)}"><xsl:value-of select="."/></a>
                  </xsl:when>
                  <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
                </xsl:choose>
              </li>
            </xsl:for-each>
          </ul>
        </dd>
      </xsl:if>
    </dl>
  </xsl:template>

  <!-- @where of an event: linked through the pointer map like any reference. Only elements are
       applied in this mode (the template below takes them all): anything else is our bug. -->
  <xsl:mode name="where" on-no-match="fail"/>
  <xsl:template match="*" mode="where">
    <xsl:variable name="places" select="tokenize(@where) ! key('ed:entity', key('ed:pointer', ., $site)/@entity, $site)"/>
    <xsl:for-each select="$places">
      <xsl:call-template name="ed:entity-link">
        <xsl:with-param name="entity" select="."/>
        <xsl:with-param name="id" select="'where-card-' || position()"/>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:if test="empty($places)"><xsl:value-of select="@where"/></xsl:if>
  </xsl:template>

  <xsl:function name="ed:name-type" as="xs:string?">
    <xsl:param name="type" as="xs:string?"/>
    <xsl:sequence select="if (empty($type) or $type = 'main') then ()
                          else (map { 'original': 'original script', 'short': 'short form', 'abbreviation': 'abbreviation',
                                      'alt': 'variant title', 'desc': 'descriptive title' }($type), $type)[1]"/>
  </xsl:function>

  <xsl:function name="ed:language-name" as="xs:string?">
    <xsl:param name="lang" as="xs:string?"/>
    <xsl:sequence select="if (starts-with($lang, 'zh')) then 'Chinese' else ()"/>
  </xsl:function>

  <xsl:function name="ed:idno-type" as="xs:string">
    <xsl:param name="type" as="xs:string"/>
    <xsl:sequence select="(map { 'wikidata': 'Wikidata', 'viaf': 'VIAF', 'gnd': 'GND', 'geonames': 'GeoNames',
                                 'orcid': 'ORCID', 'doi': 'DOI', 'isbn': 'ISBN' }($type), $type)[1]"/>
  </xsl:function>

  <!-- A geo's latitude and longitude (empty if it is not a pair of numbers): "39.9042 116.4074",
       "39.9042,116.4074", or with decimal commas "48,2066 16,37341" (PMB). -->
  <xsl:function name="ed:geo-point" as="xs:string*">
    <xsl:param name="geo" as="element()"/>
    <xsl:variable name="words" select="tokenize(normalize-space($geo), '\s+')"/>
    <xsl:variable name="p" select="if (count($words) = 2) then $words ! replace(., ',', '.')
                                   else tokenize(normalize-space($geo), '[\s,]+')"/>
    <xsl:sequence select="if (count($p) = 2 and ($p[1] castable as xs:double) and ($p[2] castable as xs:double)) then $p else ()"/>
  </xsl:function>

  <!-- "39.9042 116.4074" → "39.9042° N, 116.4074° E" -->
  <xsl:function name="ed:coordinates" as="xs:string">
    <xsl:param name="geo" as="element()"/>
    <xsl:variable name="p" select="ed:geo-point($geo)"/>
    <xsl:sequence select="if (exists($p))
                          then replace($p[1], '^-', '') || '° ' || (if (starts-with($p[1], '-')) then 'S' else 'N') || ', '
                               || replace($p[2], '^-', '') || '° ' || (if (starts-with($p[2], '-')) then 'W' else 'E')
                          else normalize-space($geo)"/>
  </xsl:function>

  <!-- Notes of an entry are shown in place; editorial ones say so. -->
  <xsl:template match="/*/tei:note" priority="4">
    <p class="entry-note type-{(@type, 'note')[1]}">
      <xsl:if test="@type = 'editorial'"><span class="note-kind">Editorial note. </span></xsl:if>
      <xsl:apply-templates/>
    </p>
  </xsl:template>

  <!-- ===== letters it sent or received (model/letters.py) ================================ -->

  <xsl:template name="letters">
    <xsl:variable name="letters" select="$site/site/letter"/>
    <xsl:if test="$letters">
      <section class="letters" aria-labelledby="letters-heading">
        <h2 id="letters-heading">Letters</h2>
        <xsl:for-each select="'sent', 'received'">
          <xsl:variable name="action" select="."/>
          <xsl:variable name="these" select="$letters[@action = $action]"/>
          <xsl:if test="$these">
            <h3><xsl:value-of select="ed:letter-heading($action) || ' ' || ed:entity-name($me)"/></h3>
            <ul class="documents letters-{$action}">
              <xsl:for-each select="$these">
                <li>
                  <a href="{ed:href(@href)}"><xsl:value-of select="@title"/></a>
                  <xsl:if test="@from != ''">
                    <xsl:text> </xsl:text><span class="mention-date"><xsl:value-of select="ed:format-range(@from, @to)"/></span>
                  </xsl:if>
                </li>
              </xsl:for-each>
            </ul>
          </xsl:if>
        </xsl:for-each>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ===== where it appears ============================================================= -->

  <xsl:template name="appears-in">
    <xsl:variable name="mentions" select="$site/site/mention"/>
    <section class="appears-in" aria-labelledby="appears-heading">
      <h2 id="appears-heading">Appears in</h2>
      <xsl:choose>
        <xsl:when test="$mentions">
          <ul class="mentions documents">
            <xsl:for-each select="$mentions">
              <li>
                <a href="{ed:href(@href)}"><xsl:value-of select="@title"/></a>
                <xsl:if test="@roles">
                  <span class="roles"> — <xsl:value-of select="string-join(tokenize(@roles) ! ed:role-label(.), ', ')"/></span>
                </xsl:if>
                <xsl:if test="@from != ''">
                  <xsl:text> </xsl:text><span class="mention-date"><xsl:value-of select="ed:format-range(@from, @to)"/></span>
                </xsl:if>
              </li>
            </xsl:for-each>
          </ul>
        </xsl:when>
        <xsl:otherwise><p class="none">No document of the edition names this entry.</p></xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="entity-list">
        <xsl:with-param name="refs" select="$site/site/related-event/@ref"/>
        <xsl:with-param name="heading" select="'Related events'"/>
        <xsl:with-param name="prefix" select="'event-card-'"/>
      </xsl:call-template>
      <xsl:call-template name="entity-list">
        <xsl:with-param name="refs" select="$site/site/entry-mention/@ref"/>
        <xsl:with-param name="heading" select="'Named in register entries'"/>
        <xsl:with-param name="prefix" select="'entry-card-'"/>
      </xsl:call-template>
    </section>
  </xsl:template>

  <xsl:template name="entity-list">
    <xsl:param name="refs" as="attribute()*"/>
    <xsl:param name="heading" as="xs:string"/>
    <xsl:param name="prefix" as="xs:string"/>
    <xsl:if test="$refs">
      <h3><xsl:value-of select="$heading"/></h3>
      <ul class="mentions">
        <xsl:for-each select="$refs ! key('ed:entity', ., $site)[1]">
          <xsl:variable name="dates" select="ed:entity-dates(.)"/>
          <li>
            <xsl:call-template name="ed:entity-link">
              <xsl:with-param name="entity" select="."/>
              <xsl:with-param name="id" select="$prefix || position()"/>
              <xsl:with-param name="ed:entity-dates" select="$dates" tunnel="yes"/>
            </xsl:call-template>
            <xsl:if test="$dates"><xsl:text> </xsl:text><span class="mention-date"><xsl:value-of select="$dates"/></span></xsl:if>
          </li>
        </xsl:for-each>
      </ul>
    </xsl:if>
  </xsl:template>

  <!-- ===== JSON-LD ===================================================================== -->

  <xsl:function name="ed:entry-json" as="element(fn:map)">
    <xsl:param name="entry" as="element()"/>
    <fn:map>
      <fn:string key="@context">https://schema.org</fn:string>
      <xsl:sequence select="ed:entity-json($me, ())/*[not(@key = 'url')]"/>
      <xsl:variable name="same" select="$me/idno[exists(ed:safe-link(@url))]"/>
      <xsl:if test="$same">
        <fn:array key="sameAs"><xsl:for-each select="$same"><fn:string><xsl:value-of select="ed:safe-link(@url)"/></fn:string></xsl:for-each></fn:array>
      </xsl:if>
      <!-- one point (schema.org has one geo): a location of coordinates first, else the first
           geo; an entry may have several locations (TEI allows it), each with its own geo -->
      <xsl:variable name="points" select="$entry/tei:location/tei:geo[exists(ed:geo-point(.))]"/>
      <xsl:for-each select="($points[../@type = ('coords', 'coordinates') or not(../@type)], $points)[1]">
        <xsl:variable name="p" select="ed:geo-point(.)"/>
        <fn:map key="geo">
          <fn:string key="@type">GeoCoordinates</fn:string>
          <fn:string key="latitude"><xsl:value-of select="$p[1]"/></fn:string>
          <fn:string key="longitude"><xsl:value-of select="$p[2]"/></fn:string>
        </fn:map>
      </xsl:for-each>
      <xsl:if test="$site/site/mention">
        <fn:array key="subjectOf">
          <xsl:for-each select="$site/site/mention">
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
