<?xml version="1.0" encoding="UTF-8"?>
<!-- zenodo.json: the body Zenodo's deposit API takes ({"metadata": {…}}, sent with
     PUT /api/deposit/depositions/{id}), made from the edition header.

     Source: teiCorpus.xml.  $upload-type: Zenodo's upload_type (config [deposit] zenodo-upload-type). -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:dep="urn:tei-edition:deposit"
    xmlns="http://www.w3.org/2005/xpath-functions"
    exclude-result-prefixes="#all">

  <xsl:include href="common.xsl"/>
  <xsl:output method="text" encoding="UTF-8"/>

  <!-- Zenodo reads the description as HTML: the header's text goes in as text, so markup
       written in it ("<script>") is shown, never run. -->
  <xsl:function name="dep:html-text" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:sequence select="replace(replace(replace($text, '&amp;', '&amp;amp;'), '&lt;', '&amp;lt;'), '&gt;', '&amp;gt;')"/>
  </xsl:function>
  <xsl:param name="upload-type" as="xs:string" select="'dataset'"/>

  <!-- Zenodo wants ISO 639-2/3 language codes; the TEI gives BCP 47 (ISO 639-1 mostly). -->
  <xsl:variable name="iso639-3" select="map{'en': 'eng', 'zh': 'zho', 'de': 'deu', 'fr': 'fra', 'it': 'ita',
      'es': 'spa', 'pt': 'por', 'nl': 'nld', 'ru': 'rus', 'ja': 'jpn', 'ko': 'kor', 'la': 'lat', 'el': 'ell',
      'pl': 'pol', 'cs': 'ces', 'sv': 'swe', 'da': 'dan', 'ar': 'ara', 'he': 'heb', 'tr': 'tur'}"/>

  <xsl:template match="/tei:teiCorpus">
    <xsl:variable name="header" select="tei:teiHeader"/>
    <xsl:variable name="stmt" select="$header/tei:fileDesc/tei:titleStmt"/>
    <xsl:variable name="licence" select="dep:licence($header)"/>
    <xsl:variable name="spdx" select="dep:spdx($licence/@target)"/>
    <xsl:variable name="language" select="$iso639-3(substring-before(dep:languages($header)[1] || '-', '-'))"/>
    <xsl:variable name="json">
      <map>
        <map key="metadata">
          <string key="upload_type"><xsl:value-of select="$upload-type"/></string>
          <string key="title"><xsl:value-of select="string-join((dep:title($header), dep:subtitle($header)), ': ')"/></string>
          <array key="creators">
            <xsl:for-each select="dep:creators($header)">
              <map><string key="name"><xsl:value-of select="dep:sort-name(.)"/></string>
                <xsl:for-each select="(.//tei:idno[lower-case(@type) = 'orcid'])[1]">
                  <string key="orcid"><xsl:value-of select="replace(dep:text(.), '^https?://orcid.org/', '')"/></string>
                </xsl:for-each>
              </map>
            </xsl:for-each>
          </array>
          <string key="description">
            <xsl:value-of select="string-join(($header/tei:encodingDesc/tei:projectDesc, $header/tei:fileDesc/tei:sourceDesc) ! ('&lt;p&gt;' || dep:html-text(dep:text(.)) || '&lt;/p&gt;'), '')"/>
          </string>
          <string key="access_right"><xsl:value-of select="if ($header//tei:availability/@status = 'restricted') then 'restricted' else 'open'"/></string>
          <xsl:if test="$spdx">
            <string key="license"><xsl:value-of select="lower-case($spdx)"/></string>
          </xsl:if>
          <string key="publication_date"><xsl:value-of select="dep:publication-date($header)"/></string>
          <string key="version"><xsl:value-of select="$header/tei:fileDesc/tei:editionStmt/tei:edition/@n"/></string>
          <xsl:if test="exists($language)">
            <string key="language"><xsl:value-of select="$language"/></string>
          </xsl:if>
          <xsl:if test="exists(dep:keywords($header))">
            <array key="keywords">
              <xsl:for-each select="dep:keywords($header)"><string><xsl:value-of select="."/></string></xsl:for-each>
            </array>
          </xsl:if>
          <xsl:if test="$stmt/tei:editor">
            <array key="contributors">
              <xsl:for-each select="$stmt/tei:editor">
                <map>
                  <string key="name"><xsl:value-of select="dep:sort-name(.)"/></string>
                  <string key="type">Editor</string>
                </map>
              </xsl:for-each>
            </array>
          </xsl:if>
          <xsl:variable name="authorities" select="distinct-values(tei:TEI//(tei:person | tei:place | tei:org | tei:event)/tei:idno[@type = 'wikidata'] ! dep:text(.))"/>
          <xsl:variable name="parts" select="tei:TEI[position() gt 1]/tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:idno[lower-case(@type) = ('doi', 'url', 'handle', 'urn', 'ark')]"/>
          <xsl:if test="exists($authorities) or $parts">
            <array key="related_identifiers">
              <xsl:for-each select="$parts">
                <map><string key="identifier"><xsl:value-of select="dep:text(.)"/></string><string key="relation">hasPart</string></map>
              </xsl:for-each>
              <xsl:for-each select="$authorities">
                <map><string key="identifier"><xsl:value-of select="."/></string><string key="relation">references</string></map>
              </xsl:for-each>
            </array>
          </xsl:if>
          <string key="notes">Deposit package (BagIt) of a TEI P5 edition: TEI files, teiCorpus.xml, schemas, PDFs when built, and metadata (DataCite, oai_dc, METS, schema.org JSON-LD).</string>
        </map>
      </map>
    </xsl:variable>
    <xsl:value-of select="xml-to-json($json)"/>
  </xsl:template>
</xsl:stylesheet>
