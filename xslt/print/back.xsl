<?xml version="1.0" encoding="UTF-8"?>
<!--
  The back matter of the print volume: chronology of events, documents and literature, and the
  indexes of persons, places and organisations with the pages each is mentioned on.

  Source: a small document built by tei_edition/writers/pdf/indexes.py once the pages are known:
    <back>
      <section kind="event" id="chronology" title="Chronology">
        <item entity="conference-mutual-aid-1951"> <tei:event .../> <range .../>* </item> ...
      </section>
      <section kind="document" id="bibliography" title="Documents and literature"> ... </section>
      <section kind="person" id="index-person" title="Index of persons">
        <item entity="mao-zedong"> <range from="5" to="6" href="#m..." roles="presided"/>*
                                   <letter action="sent|received" letter href title from to/>* </item>
      </section> ...
    The chronology also holds the letters at their dates: <item letter href title from to/>
    (writers/pdf/indexes.py add_letters).
    </back>
  Items come sorted; page ranges come merged. Names, Chinese names and dates come from the
  register cards in $site (common/functions.xsl).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="urn:tei-edition:functions"
    xmlns:pr="urn:tei-edition:print"
    exclude-result-prefixes="#all">

  <xsl:import href="../common/common.xsl"/>
  <xsl:include href="print-text.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>

  <!-- Entries plus page ranges up to which an index's columns are balanced. -->
  <xsl:variable name="pr:balance-up-to" as="xs:integer" select="120"/>

  <xsl:template match="/back">
    <div class="back">
      <xsl:apply-templates select="section"/>
    </div>
  </xsl:template>

  <xsl:template match="section">
    <!-- A long index fills its columns page by page instead of balancing them: WeasyPrint
         balances by laying the whole section out again and again, which is slow. -->
    <xsl:variable name="long" select="count(item) + count(item/range) gt $pr:balance-up-to"/>
    <section class="chapter back-matter {if (@kind = ('person', 'place', 'organisation')) then 'index' else @kind}{
                    if ($long) then ' long' else ''}" id="{@id}">
      <h1 class="chapter-title"><xsl:value-of select="@title"/></h1>
      <xsl:if test="@kind = ('person', 'place', 'organisation') and not(preceding-sibling::section[@kind = ('person', 'place', 'organisation')])">
        <p class="index-note">Numbers are pages of the documents; a role the person or body had there is given in brackets.</p>
      </xsl:if>
      <div class="entries"><xsl:apply-templates select="item"/></div>
    </section>
  </xsl:template>

  <!-- An index entry: Mao Zedong 毛泽东 (1893–1976) 5 (presided), 6–7 -->
  <xsl:template match="section[@kind = ('person', 'place', 'organisation')]/item">
    <xsl:variable name="card" select="key('ed:entity', @entity, $site)[1]"/>
    <p class="index-entry" data-entity="{@entity}">
      <span class="index-name"><xsl:value-of select="if ($card) then ed:entity-name($card) else @entity"/></span>
      <xsl:for-each select="$card ! ed:entity-original(.)">
        <xsl:text> </xsl:text><span class="original" lang="{(@lang, 'und')[1]}"><xsl:value-of select="."/></span>
      </xsl:for-each>
      <xsl:for-each select="$card ! ed:entity-dates(.)[. ne '']">
        <xsl:text> </xsl:text><span class="dates">(<xsl:value-of select="."/>)</span>
      </xsl:for-each>
      <xsl:call-template name="pr:pages"/>
      <xsl:call-template name="pr:letters"/>
    </p>
  </xsl:template>

  <!-- The letters a correspondent sent and received: "Letters from: title, p. 5; title, p. 9."
       (the page from the layout: target-counter() in print.css). -->
  <xsl:template name="pr:letters">
    <xsl:variable name="letters" select="letter"/>
    <xsl:for-each select="'sent', 'received'">
      <xsl:variable name="action" select="."/>
      <xsl:if test="$letters[@action = $action]">
        <span class="letters letters-{$action}">
          <xsl:text> </xsl:text><xsl:value-of select="ed:letter-heading($action)"/><xsl:text>: </xsl:text>
          <xsl:for-each select="$letters[@action = $action]">
            <xsl:if test="position() gt 1">; </xsl:if>
            <a class="letter-ref" href="{@href}"><xsl:value-of select="@title"/></a>
          </xsl:for-each>
          <xsl:text>.</xsl:text>
        </span>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- A letter in the chronology: its date and its title, with the page it is printed on. -->
  <xsl:template match="section[@kind = 'event']/item[@letter]" priority="2">
    <div class="chronology-entry chronology-letter" data-letter="{@letter}">
      <p class="chronology-date"><xsl:value-of select="if (@from != '') then ed:format-range(@from, @to) else 'Undated'"/></p>
      <p class="chronology-event">Letter: <a class="letter-ref" href="{@href}"><xsl:value-of select="@title"/></a></p>
    </div>
  </xsl:template>

  <!-- A chronology entry: the date, the event and what the register says of it. -->
  <xsl:template match="section[@kind = 'event']/item">
    <xsl:variable name="card" select="key('ed:entity', @entity, $site)[1]"/>
    <div class="chronology-entry" data-entity="{@entity}">
      <p class="chronology-date"><xsl:value-of select="if ($card) then ed:entity-dates($card) else ''"/></p>
      <p class="chronology-event">
        <span class="event-label"><xsl:value-of select="if ($card) then ed:entity-name($card) else @entity"/></span>
        <xsl:for-each select="tei:event/tei:desc">
          <xsl:text>. </xsl:text><xsl:apply-templates/>
        </xsl:for-each>
        <xsl:call-template name="pr:pages"><xsl:with-param name="label" select="true()"/></xsl:call-template>
      </p>
    </div>
  </xsl:template>

  <!-- A bibliography entry: author, title, date; other titles it goes by; the editors' note. -->
  <xsl:template match="section[@kind = 'document']/item">
    <xsl:variable name="bibl" select="tei:*[1]"/>
    <xsl:variable name="card" select="key('ed:entity', @entity, $site)[1]"/>
    <p class="bibliography-entry" data-entity="{@entity}">
      <!-- the first author as the card says it (a register's idnos inside <author> left out) -->
      <xsl:for-each select="$bibl/tei:author">
        <span class="author"><xsl:value-of select="if (position() = 1 and $card/author) then $card/author
                                                   else normalize-space(string-join(.//text()[not(ancestor::tei:idno)], ''))"/></span>
        <xsl:text>, </xsl:text>
      </xsl:for-each>
      <cite><xsl:value-of select="$card ! ed:entity-name(.)"/></cite>
      <xsl:for-each select="$bibl/tei:date[1]">, <xsl:value-of select="normalize-space(.)"/></xsl:for-each>
      <xsl:text>.</xsl:text>
      <xsl:if test="$bibl/tei:title[@type = 'alt']">
        <xsl:text> Also titled: </xsl:text>
        <xsl:for-each select="$bibl/tei:title[@type = 'alt']">
          <xsl:if test="position() gt 1">; </xsl:if>
          <cite><xsl:value-of select="normalize-space(.)"/></cite>
        </xsl:for-each>
        <xsl:text>.</xsl:text>
      </xsl:if>
      <xsl:for-each select="$bibl/tei:note">
        <xsl:text> </xsl:text><span class="bibliography-note"><xsl:apply-templates/></span>
      </xsl:for-each>
      <xsl:call-template name="pr:pages"><xsl:with-param name="label" select="true()"/></xsl:call-template>
    </p>
  </xsl:template>

  <!-- "5 (presided), 6–7": each range links to the first mention on its first page. -->
  <xsl:template name="pr:pages">
    <xsl:param name="label" as="xs:boolean" select="false()"/>
    <xsl:if test="range">
      <span class="pages">
        <xsl:if test="$label">
          <xsl:text> </xsl:text>
          <xsl:value-of select="if (count(range) gt 1 or range/@to != range/@from) then 'pp.' else 'p.'"/>
          <xsl:text>&#xA0;</xsl:text>
        </xsl:if>
        <xsl:for-each select="range">
          <!-- an edition in several volumes cites volume and page, the volume once for its pages:
               "I 12, 15; II 214" -->
          <xsl:variable name="volume" select="@volume[. ne ''][not(. = current()/preceding-sibling::range[1]/@volume)]"/>
          <xsl:if test="position() gt 1"><xsl:value-of select="if ($volume) then '; ' else ', '"/></xsl:if>
          <a class="page-range" href="{@href}">
            <xsl:value-of select="string-join(($volume, if (@to ne @from) then @from || '–' || @to else @from), '&#xA0;')"/>
          </a>
          <xsl:if test="normalize-space(@roles)">
            <xsl:text> </xsl:text><span class="roles">(<xsl:value-of select="string-join(tokenize(@roles) ! ed:role-label(.), ', ')"/>)</span>
          </xsl:if>
        </xsl:for-each>
      </span>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
