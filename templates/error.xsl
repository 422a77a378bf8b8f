<?xml version="1.0" encoding="UTF-8"?>
<!-- Error pages (403, 404, 500, …) in the request's language. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:value-of select="i:t(error/@title)"/>
  </xsl:template>

  <xsl:template match="/page" mode="main">
    <section class="error-page" data-status="{error/@status}">
      <div class="error-code"><xsl:value-of select="error/@status"/></div>
      <h1 id="error-title"><xsl:value-of select="i:t(error/@title)"/></h1>
      <p id="error-message"><xsl:value-of select="i:t(error/@message)"/></p>
      <p><a class="btn" href="/cc/"><xsl:value-of select="i:t('err.home')"/></a></p>
    </section>
  </xsl:template>
</xsl:stylesheet>
