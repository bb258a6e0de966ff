<?xml version="1.0" encoding="UTF-8"?>
<!-- Shared by the deposit stylesheets: how a TEI header answers the questions every metadata
     record asks (title, names, dates, licence). One place, so DataCite, Dublin Core, METS and
     Zenodo never disagree about the same header. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:dep="urn:tei-edition:deposit"
    xmlns:ed="urn:tei-edition:functions"
    exclude-result-prefixes="#all">

  <!-- ed:safe-link: whether a URL of the source may be a link (http, https, mailto only); the
       same decision as the web and print editions make. -->
  <xsl:include href="../common/urls.xsl"/>

  <!-- The deposit stylesheets build records from what they select; a node they have no template
       for is skipped with its text (the built-in default would copy stray text of the TEI into
       a metadata record). Each entry stylesheet matches its source's root element. -->
  <xsl:mode on-no-match="shallow-skip"/>

  <!-- Whitespace-normalised text of a node. -->
  <xsl:function name="dep:text" as="xs:string">
    <xsl:param name="node" as="node()?"/>
    <xsl:sequence select="normalize-space(string($node))"/>
  </xsl:function>

  <!-- The main title of every TEI file, as the web and print editions state it (decided once,
       by tei_edition.model.facts.main_title; docs/semantic-layer.md):
       <titles><title base="tei/… (its path in the package)" edition="yes">…</title>…</titles>
       `edition` marks the edition header. -->
  <xsl:param name="titles" as="document-node()?" select="()"/>

  <!-- The main title of the file a header belongs to, found by the file's xml:base (its path in
       the package, which the teiCorpus members and the files Python hands over carry); the
       teiCorpus, and the edition header given without a path, are the edition. -->
  <xsl:function name="dep:title" as="xs:string">
    <xsl:param name="header" as="element(tei:teiHeader)"/>
    <xsl:variable name="file" select="$header/.."/>
    <xsl:variable name="all" select="$titles/titles/title"/>
    <xsl:sequence select="string(($all[@base = $file/@xml:base],
                                  $all[@edition][$file/self::tei:teiCorpus or empty($file/@xml:base)])[1])"/>
  </xsl:function>

  <xsl:function name="dep:subtitle" as="xs:string?">
    <xsl:param name="header" as="element(tei:teiHeader)"/>
    <xsl:sequence select="$header/tei:fileDesc/tei:titleStmt/tei:title[@type = 'sub'][1] ! dep:text(.)"/>
  </xsl:function>

  <!-- A name as repositories sort it: "Family, Given" when the TEI says which is which. -->
  <xsl:function name="dep:sort-name" as="xs:string">
    <xsl:param name="who" as="element()"/>
    <xsl:variable name="surname" select="($who//tei:surname)[1]"/>
    <xsl:variable name="forename" select="($who//tei:forename)[1]"/>
    <xsl:sequence select="if ($surname and $forename)
                          then dep:text($surname) || ', ' || dep:text($forename)
                          else dep:text($who)"/>
  </xsl:function>

  <!-- Personal when the TEI marks a person's name, Organizational for orgName, else unknown. -->
  <xsl:function name="dep:name-type" as="xs:string?">
    <xsl:param name="who" as="element()"/>
    <xsl:sequence select="if ($who//tei:persName or $who//tei:surname) then 'Personal'
                          else if ($who//tei:orgName) then 'Organizational' else ()"/>
  </xsl:function>

  <!-- Creators: the authors named in titleStmt, else its editors (an edition's editors make it). -->
  <xsl:function name="dep:creators" as="element()*">
    <xsl:param name="header" as="element(tei:teiHeader)"/>
    <xsl:variable name="stmt" select="$header/tei:fileDesc/tei:titleStmt"/>
    <xsl:sequence select="if ($stmt/tei:author) then $stmt/tei:author else $stmt/tei:editor"/>
  </xsl:function>

  <xsl:function name="dep:publication-date" as="xs:string">
    <xsl:param name="header" as="element(tei:teiHeader)"/>
    <xsl:sequence select="string(($header/tei:fileDesc/tei:publicationStmt/tei:date/@when)[1])"/>
  </xsl:function>

  <xsl:function name="dep:licence" as="element(tei:licence)?">
    <xsl:param name="header" as="element(tei:teiHeader)"/>
    <xsl:sequence select="($header/tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence)[1]"/>
  </xsl:function>

  <!-- SPDX identifier of a Creative Commons licence URI (CC-BY-4.0, CC0-1.0), or () for others. -->
  <xsl:function name="dep:spdx" as="xs:string?">
    <xsl:param name="uri" as="xs:string?"/>
    <xsl:analyze-string select="string($uri)"
        regex="creativecommons\.org/(licenses/([a-z\-]+)|publicdomain/(zero))/(\d\.\d)">
      <xsl:matching-substring>
        <xsl:sequence select="if (regex-group(3)) then 'CC0-' || regex-group(4)
                              else 'CC-' || upper-case(regex-group(2)) || '-' || regex-group(4)"/>
      </xsl:matching-substring>
    </xsl:analyze-string>
  </xsl:function>

  <!-- The languages of a header (ISO 639 / BCP 47 codes), the TEI root's xml:lang as fallback. -->
  <xsl:function name="dep:languages" as="xs:string*">
    <xsl:param name="header" as="element(tei:teiHeader)"/>
    <xsl:variable name="declared" select="$header/tei:profileDesc/tei:langUsage/tei:language/@ident ! string()"/>
    <xsl:sequence select="if (exists($declared)) then $declared else $header/../@xml:lang ! string()"/>
  </xsl:function>

  <!-- Keywords of a header. -->
  <xsl:function name="dep:keywords" as="xs:string*">
    <xsl:param name="header" as="element(tei:teiHeader)"/>
    <xsl:sequence select="$header/tei:profileDesc/tei:textClass/tei:keywords//tei:term ! dep:text(.)"/>
  </xsl:function>

  <!-- The time a document covers: from its settingDesc (or creation) dates, as ISO start/end. -->
  <xsl:function name="dep:coverage" as="xs:string*">
    <xsl:param name="header" as="element(tei:teiHeader)*"/>
    <xsl:variable name="dates" select="$header/tei:profileDesc/(tei:settingDesc, tei:creation)//tei:date"/>
    <xsl:variable name="points" select="sort(distinct-values($dates/(@when, @from, @to, @notBefore, @notAfter) ! string()))"/>
    <xsl:sequence select="if (exists($points)) then ($points[1], $points[last()]) else ()"/>
  </xsl:function>
</xsl:stylesheet>
