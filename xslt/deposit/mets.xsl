<?xml version="1.0" encoding="UTF-8"?>
<!-- METS 1.x document of the package: every TEI header as descriptive metadata (mdWrap
     MDTYPE="TEIHDR"), DataCite by reference, a file section with MIME types, sizes and SHA-256
     checksums, and a logical structural map of the edition (front matter, documents with their
     PDFs, registers, print volume).

     Source: teiCorpus.xml (its members carry xml:base = their path in the package).
     $files: <files><file id path use mime size sha256 dmd? role? doc?/></files>, prepared by
       Python from the files it wrote (all but mets.xml itself); `doc` links a PDF to the dmd id
       of its TEI document.
     $created: the package's fixed creation time (xs:dateTime), for reproducible output. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:dep="urn:tei-edition:deposit"
    xmlns:mets="http://www.loc.gov/METS/"
    xmlns:xlink="http://www.w3.org/1999/xlink"
    exclude-result-prefixes="xs tei dep">

  <xsl:include href="common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:param name="files" as="document-node()"/>
  <xsl:param name="created" as="xs:string"/>

  <xsl:key name="file-by-path" match="file" use="@path"/>

  <xsl:template match="/tei:teiCorpus">
    <xsl:variable name="header" select="tei:teiHeader"/>
    <xsl:variable name="edition" select="key('file-by-path', 'teiCorpus.xml', $files)"/>
    <mets:mets xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
               xsi:schemaLocation="http://www.loc.gov/METS/ http://www.loc.gov/standards/mets/mets.xsd"
               OBJID="{dep:text($header/tei:fileDesc/tei:publicationStmt/tei:idno[1])}"
               LABEL="{dep:title($header)}" TYPE="Digital scholarly edition">
      <mets:metsHdr CREATEDATE="{$created}">
        <xsl:for-each select="$header/tei:fileDesc/tei:publicationStmt/tei:publisher">
          <mets:agent ROLE="CREATOR" TYPE="ORGANIZATION"><mets:name><xsl:value-of select="dep:text(.)"/></mets:name></mets:agent>
        </xsl:for-each>
        <xsl:for-each select="$header/tei:fileDesc/tei:titleStmt/(tei:editor | tei:author)">
          <mets:agent ROLE="{if (self::tei:editor) then 'EDITOR' else 'CREATOR'}" TYPE="{if (dep:name-type(.) = 'Organizational') then 'ORGANIZATION' else if (dep:name-type(.) = 'Personal') then 'INDIVIDUAL' else 'OTHER'}">
            <mets:name><xsl:value-of select="dep:sort-name(.)"/></mets:name>
          </mets:agent>
        </xsl:for-each>
      </mets:metsHdr>

      <xsl:for-each select="tei:TEI">
        <xsl:variable name="file" select="key('file-by-path', string(@xml:base), $files)"/>
        <mets:dmdSec ID="{$file/@dmd}">
          <mets:mdWrap MDTYPE="TEIHDR" MIMETYPE="application/xml" LABEL="{dep:title(tei:teiHeader)}">
            <mets:xmlData><xsl:copy-of select="tei:teiHeader" copy-namespaces="no"/></mets:xmlData>
          </mets:mdWrap>
        </mets:dmdSec>
      </xsl:for-each>
      <xsl:for-each select="key('file-by-path', 'datacite.xml', $files)">
        <mets:dmdSec ID="dmd-datacite">
          <mets:mdRef LOCTYPE="URL" xlink:href="{@path}" MDTYPE="OTHER" OTHERMDTYPE="DataCite"
                      MIMETYPE="{@mime}" SIZE="{@size}" CHECKSUM="{@sha256}" CHECKSUMTYPE="SHA-256"/>
        </mets:dmdSec>
      </xsl:for-each>

      <mets:fileSec>
        <xsl:for-each-group select="$files/files/file" group-by="@use">
          <xsl:sort select="current-grouping-key()"/>
          <mets:fileGrp USE="{current-grouping-key()}">
            <xsl:for-each select="current-group()">
              <mets:file ID="{@id}" MIMETYPE="{@mime}" SIZE="{@size}" CHECKSUM="{@sha256}" CHECKSUMTYPE="SHA-256">
                <xsl:if test="@dmd"><xsl:attribute name="DMDID" select="@dmd"/></xsl:if>
                <mets:FLocat LOCTYPE="URL" xlink:href="{@path}"/>
              </mets:file>
            </xsl:for-each>
          </mets:fileGrp>
        </xsl:for-each-group>
      </mets:fileSec>

      <mets:structMap TYPE="logical" LABEL="Edition">
        <xsl:variable name="front" select="tei:TEI[key('file-by-path', string(@xml:base), $files)/@role = 'header']"/>
        <mets:div TYPE="edition" LABEL="{dep:title($header)}"
                  DMDID="{string-join((key('file-by-path', string($front/@xml:base), $files)/@dmd, 'dmd-datacite'[key('file-by-path', 'datacite.xml', $files)]), ' ')}">
          <xsl:for-each select="$edition"><mets:fptr FILEID="{@id}"/></xsl:for-each>
          <xsl:apply-templates select="$front"><xsl:with-param name="type" select="'front'"/></xsl:apply-templates>
          <xsl:call-template name="group">
            <xsl:with-param name="type" select="'documents'"/>
            <xsl:with-param name="label" select="'Documents'"/>
            <xsl:with-param name="members" select="tei:TEI[key('file-by-path', string(@xml:base), $files)/@role = 'source']"/>
          </xsl:call-template>
          <xsl:call-template name="group">
            <xsl:with-param name="type" select="'registers'"/>
            <xsl:with-param name="label" select="'Registers'"/>
            <xsl:with-param name="members" select="tei:TEI[key('file-by-path', string(@xml:base), $files)/@role = 'register']"/>
          </xsl:call-template>
          <xsl:for-each select="$files/files/file[@use = 'PDF' and not(@doc)]">
            <mets:div TYPE="volume" LABEL="Print volume (PDF)"><mets:fptr FILEID="{@id}"/></mets:div>
          </xsl:for-each>
        </mets:div>
      </mets:structMap>
    </mets:mets>
  </xsl:template>

  <xsl:template name="group">
    <xsl:param name="type" as="xs:string"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="members" as="element(tei:TEI)*"/>
    <xsl:if test="$members">
      <mets:div TYPE="{$type}" LABEL="{$label}">
        <xsl:apply-templates select="$members">
          <xsl:with-param name="type" select="replace($type, 's$', '')"/>
        </xsl:apply-templates>
      </mets:div>
    </xsl:if>
  </xsl:template>

  <!-- One TEI file: its TEI file and, for a document, its PDF. -->
  <xsl:template match="tei:TEI">
    <xsl:param name="type" as="xs:string"/>
    <xsl:variable name="file" select="key('file-by-path', string(@xml:base), $files)"/>
    <mets:div TYPE="{$type}" ORDER="{position()}" LABEL="{dep:title(tei:teiHeader)}" DMDID="{$file/@dmd}">
      <mets:fptr FILEID="{$file/@id}"/>
      <xsl:for-each select="$files/files/file[@use = 'PDF'][@doc = $file/@dmd]">
        <mets:fptr FILEID="{@id}"/>
      </xsl:for-each>
    </mets:div>
  </xsl:template>
</xsl:stylesheet>
