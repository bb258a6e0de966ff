<?xml version="1.0" encoding="UTF-8"?>
<!-- DataCite Metadata Schema 4.7 record of the whole edition.

     Source: teiCorpus.xml (edition header + every member TEI file).
     $files: the package inventory <files><file path mime size …/></files> (for formats and size).

     The edition has no DOI until a repository mints one, so the identifier is the edition's
     idno (identifierType from its @type); a DOI given as <idno type="DOI"> is used instead. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:dep="urn:tei-edition:deposit"
    xmlns:ed="urn:tei-edition:functions"
    xmlns="http://datacite.org/schema/kernel-4"
    exclude-result-prefixes="#all">

  <xsl:include href="common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:param name="files" as="document-node()"/>

  <!-- DataCite contributorType values an editor's @role may name directly. -->
  <xsl:variable name="contributor-types" select="('ContactPerson', 'DataCollector', 'DataCurator', 'DataManager',
      'Distributor', 'Editor', 'HostingInstitution', 'Other', 'Producer', 'ProjectLeader', 'ProjectManager',
      'ProjectMember', 'RelatedPerson', 'ResearchGroup', 'RightsHolder', 'Researcher', 'Sponsor', 'Supervisor',
      'Translator', 'WorkPackageLeader')"/>
  <!-- relatedIdentifierType values an <idno type> may name (case-insensitive). -->
  <xsl:variable name="identifier-types" select="('ARK', 'arXiv', 'DOI', 'Handle', 'ISBN', 'ISSN', 'PURL', 'URL', 'URN', 'w3id')"/>

  <!-- The DataCite identifier type an <idno @type> names, or () for local identifiers. -->
  <xsl:function name="dep:identifier-type" as="xs:string?">
    <xsl:param name="idno" as="element()"/>
    <xsl:sequence select="$identifier-types[lower-case(.) = lower-case($idno/@type)][1]"/>
  </xsl:function>

  <xsl:template match="/tei:teiCorpus">
    <xsl:variable name="header" select="tei:teiHeader"/>
    <xsl:variable name="lang" select="dep:languages($header)[1]"/>
    <xsl:variable name="pub" select="$header/tei:fileDesc/tei:publicationStmt"/>
    <xsl:variable name="doi" select="$pub/tei:idno[lower-case(@type) = 'doi'][1]"/>
    <xsl:variable name="idno" select="($doi, $pub/tei:idno)[1]"/>
    <resource xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
              xsi:schemaLocation="http://datacite.org/schema/kernel-4 https://schema.datacite.org/meta/kernel-4.7/metadata.xsd">
      <identifier identifierType="{if ($doi) then 'DOI' else (dep:identifier-type($idno), 'Local')[1]}">
        <xsl:value-of select="dep:text($idno)"/>
      </identifier>
      <creators>
        <xsl:for-each select="dep:creators($header)">
          <creator>
            <xsl:call-template name="name">
              <xsl:with-param name="element" select="'creatorName'"/>
            </xsl:call-template>
          </creator>
        </xsl:for-each>
      </creators>
      <titles>
        <title xml:lang="{$lang}"><xsl:value-of select="dep:title($header)"/></title>
        <xsl:for-each select="dep:subtitle($header)">
          <title xml:lang="{$lang}" titleType="Subtitle"><xsl:value-of select="."/></title>
        </xsl:for-each>
      </titles>
      <publisher xml:lang="{$lang}"><xsl:value-of select="dep:text($pub/tei:publisher)"/></publisher>
      <publicationYear><xsl:value-of select="substring(dep:publication-date($header), 1, 4)"/></publicationYear>
      <resourceType resourceTypeGeneral="Text">Digital scholarly edition (TEI P5)</resourceType>
      <xsl:call-template name="subjects"/>
      <xsl:call-template name="contributors"/>
      <dates>
        <date dateType="Issued"><xsl:value-of select="dep:publication-date($header)"/></date>
        <xsl:for-each select="max($header/tei:revisionDesc//tei:change/@when ! string())">
          <date dateType="Updated"><xsl:value-of select="."/></date>
        </xsl:for-each>
        <xsl:variable name="coverage" select="dep:coverage(tei:TEI/tei:teiHeader)"/>
        <xsl:if test="exists($coverage)">
          <date dateType="Coverage">
            <xsl:value-of select="string-join(distinct-values($coverage), '/')"/>
          </date>
        </xsl:if>
      </dates>
      <language><xsl:value-of select="$lang"/></language>
      <xsl:variable name="alternates" select="$pub/tei:idno except $idno"/>
      <xsl:if test="$alternates">
        <alternateIdentifiers>
          <xsl:for-each select="$alternates">
            <alternateIdentifier alternateIdentifierType="{(dep:identifier-type(.), 'Local')[1]}"><xsl:value-of select="dep:text(.)"/></alternateIdentifier>
          </xsl:for-each>
        </alternateIdentifiers>
      </xsl:if>
      <xsl:call-template name="related"/>
      <sizes>
        <size><xsl:value-of select="count(tei:TEI)"/> TEI files</size>
      </sizes>
      <formats>
        <xsl:for-each select="sort(distinct-values(($files/files/file/@mime ! string(), 'application/xml')))">
          <format><xsl:value-of select="."/></format>
        </xsl:for-each>
      </formats>
      <version><xsl:value-of select="$header/tei:fileDesc/tei:editionStmt/tei:edition/@n"/></version>
      <rightsList>
        <xsl:for-each select="dep:licence($header)">
          <rights xml:lang="{$lang}">
            <!-- repositories show the rights URI as a link: only a safe one is given -->
            <xsl:for-each select="ed:safe-link(@target)"><xsl:attribute name="rightsURI" select="."/></xsl:for-each>
            <xsl:for-each select="dep:spdx(@target)">
              <xsl:attribute name="rightsIdentifier" select="."/>
              <xsl:attribute name="rightsIdentifierScheme" select="'SPDX'"/>
              <xsl:attribute name="schemeURI" select="'https://spdx.org/licenses/'"/>
            </xsl:for-each>
            <xsl:value-of select="dep:text(.)"/>
          </rights>
        </xsl:for-each>
      </rightsList>
      <descriptions>
        <xsl:for-each select="$header/tei:encodingDesc/tei:projectDesc">
          <description xml:lang="{$lang}" descriptionType="Abstract"><xsl:value-of select="dep:text(.)"/></description>
        </xsl:for-each>
        <xsl:for-each select="$header/tei:fileDesc/tei:sourceDesc">
          <description xml:lang="{$lang}" descriptionType="Other"><xsl:value-of select="dep:text(.)"/></description>
        </xsl:for-each>
        <description xml:lang="en" descriptionType="TechnicalInfo">TEI P5 XML: <xsl:value-of
          select="count(tei:TEI)"/> files (the edition header, the registers and the documents), also combined in teiCorpus.xml; schemas in schema/; metadata as DataCite, Dublin Core (oai_dc), METS, Zenodo JSON and schema.org JSON-LD.</description>
      </descriptions>
      <xsl:call-template name="geo"/>
    </resource>
  </xsl:template>

  <xsl:template name="name">
    <xsl:param name="element" as="xs:string"/>
    <xsl:variable name="type" select="dep:name-type(.)"/>
    <xsl:element name="{$element}">
      <xsl:if test="$type"><xsl:attribute name="nameType" select="$type"/></xsl:if>
      <xsl:value-of select="dep:sort-name(.)"/>
    </xsl:element>
    <xsl:if test="$type = 'Personal' and .//tei:forename and .//tei:surname">
      <givenName><xsl:value-of select="dep:text((.//tei:forename)[1])"/></givenName>
      <familyName><xsl:value-of select="dep:text((.//tei:surname)[1])"/></familyName>
    </xsl:if>
    <xsl:for-each select=".//tei:idno[lower-case(@type) = 'orcid']">
      <nameIdentifier nameIdentifierScheme="ORCID" schemeURI="https://orcid.org"><xsl:value-of select="dep:text(.)"/></nameIdentifier>
    </xsl:for-each>
  </xsl:template>

  <!-- Keywords of the edition header, then the register entries that have an authority record. -->
  <xsl:template name="subjects">
    <xsl:variable name="authority" select="tei:TEI//(tei:person | tei:place | tei:org | tei:event)[tei:idno[@type = 'wikidata']]"/>
    <xsl:variable name="keywords" select="dep:keywords(tei:teiHeader)"/>
    <xsl:if test="exists($keywords) or $authority">
      <subjects>
        <xsl:for-each select="$keywords">
          <subject><xsl:value-of select="."/></subject>
        </xsl:for-each>
        <xsl:for-each select="$authority">
          <subject subjectScheme="Wikidata" schemeURI="https://www.wikidata.org/wiki/" valueURI="{dep:text(tei:idno[@type = 'wikidata'][1])}">
            <xsl:value-of select="dep:text((*[@type = 'main'], tei:persName, tei:placeName, tei:orgName, tei:label)[1])"/>
          </subject>
        </xsl:for-each>
      </subjects>
    </xsl:if>
  </xsl:template>

  <!-- Editors with their role; the people and bodies of respStmt as data curators or others. -->
  <xsl:template name="contributors">
    <xsl:variable name="stmt" select="tei:teiHeader/tei:fileDesc/tei:titleStmt"/>
    <xsl:if test="$stmt/tei:editor or $stmt/tei:respStmt">
      <contributors>
        <xsl:for-each select="$stmt/tei:editor">
          <xsl:variable name="role" select="string(@role)"/>
          <contributor contributorType="{($contributor-types[lower-case(.) = lower-case($role)], 'Editor')[1]}">
            <xsl:call-template name="name">
              <xsl:with-param name="element" select="'contributorName'"/>
            </xsl:call-template>
          </contributor>
        </xsl:for-each>
        <xsl:for-each select="$stmt/tei:respStmt/(tei:name | tei:persName | tei:orgName)">
          <contributor contributorType="{if (matches(../tei:resp, 'encod|curat|mark-?up', 'i')) then 'DataCurator' else 'Other'}">
            <xsl:call-template name="name">
              <xsl:with-param name="element" select="'contributorName'"/>
            </xsl:call-template>
          </contributor>
        </xsl:for-each>
      </contributors>
    </xsl:if>
  </xsl:template>

  <!-- Identifiers the headers give for the documents (HasPart), their sources (IsDerivedFrom)
       and the authority records the registers cite (References). -->
  <xsl:template name="related">
    <!-- the first member is the edition header itself (teicorpus.xsl keeps package order) -->
    <xsl:variable name="members" select="tei:TEI[position() gt 1]/tei:teiHeader/tei:fileDesc"/>
    <xsl:variable name="parts" select="$members/tei:publicationStmt/tei:idno[exists(dep:identifier-type(.))]"/>
    <xsl:variable name="sources" select="tei:TEI/tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:idno[exists(dep:identifier-type(.))]"/>
    <xsl:variable name="authorities" select="distinct-values(tei:TEI//(tei:person | tei:place | tei:org | tei:event)/tei:idno[@type = 'wikidata'] ! dep:text(.))"/>
    <xsl:if test="$parts or $sources or exists($authorities)">
      <relatedIdentifiers>
        <xsl:for-each select="$parts">
          <relatedIdentifier relatedIdentifierType="{dep:identifier-type(.)}" relationType="HasPart"><xsl:value-of select="dep:text(.)"/></relatedIdentifier>
        </xsl:for-each>
        <xsl:for-each select="$sources">
          <relatedIdentifier relatedIdentifierType="{dep:identifier-type(.)}" relationType="IsDerivedFrom"><xsl:value-of select="dep:text(.)"/></relatedIdentifier>
        </xsl:for-each>
        <xsl:for-each select="$authorities">
          <relatedIdentifier relatedIdentifierType="URL" relationType="References"><xsl:value-of select="."/></relatedIdentifier>
        </xsl:for-each>
      </relatedIdentifiers>
    </xsl:if>
  </xsl:template>

  <!-- Places of the registers with coordinates ("lat long", TEI's default notation). -->
  <xsl:template name="geo">
    <xsl:variable name="places" select="tei:TEI//tei:place[matches(normalize-space((tei:location/tei:geo)[1]), '^-?[0-9.]+[ ,]+-?[0-9.]+$')]"/>
    <xsl:if test="$places">
      <geoLocations>
        <xsl:for-each select="$places">
          <xsl:variable name="point" select="tokenize(normalize-space((tei:location/tei:geo)[1]), '[ ,]+')"/>
          <geoLocation>
            <geoLocationPlace><xsl:value-of select="dep:text((tei:placeName[@type = 'main'], tei:placeName)[1])"/></geoLocationPlace>
            <geoLocationPoint>
              <pointLongitude><xsl:value-of select="$point[2]"/></pointLongitude>
              <pointLatitude><xsl:value-of select="$point[1]"/></pointLatitude>
            </geoLocationPoint>
          </geoLocation>
        </xsl:for-each>
      </geoLocations>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
