<?xml version="1.0" encoding="UTF-8"?>
<!-- The shared layout of every page: head, top bar (brand, sections,
     user, language switch, sign-out), the page's main part (mode "main"),
     the strings the page's script reads, the page's scripts (mode
     "scripts"). Page stylesheets import this one. Text comes from the data
     document or the catalogue (i:t('key')); nothing is pasted as markup. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <xsl:template match="/page">
    <html lang="{@lang}">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <xsl:if test="@csrf">
          <meta name="csrf-token" content="{@csrf}"/>
        </xsl:if>
        <title>
          <xsl:apply-templates select="." mode="title"/>
          <xsl:text> · </xsl:text>
          <xsl:value-of select="i:t('app.name')"/>
        </title>
        <link rel="stylesheet" href="/cc/static/cc.css"/>
        <xsl:apply-templates select="." mode="head"/>
      </head>
      <body class="page-{@name}" data-lang="{@lang}">
        <header class="topbar">
          <a class="brand" href="/cc/">
            <span class="brand-mark" aria-hidden="true">CC</span>
            <span class="brand-name"><xsl:value-of select="i:t('app.name')"/></span>
          </a>
          <nav class="sections" aria-label="{i:t('nav.sections')}">
            <xsl:for-each select="nav/item">
              <a href="{@href}" id="nav-{@id}">
                <xsl:if test="@current"><xsl:attribute name="class">current</xsl:attribute>
                  <xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
                <xsl:value-of select="i:t(@key)"/>
              </a>
            </xsl:for-each>
          </nav>
          <div class="topbar-right">
            <a class="lang-switch" id="lang-switch" href="?lang={@other-lang}" lang="{@other-lang}">
              <xsl:value-of select="i:t('lang.switch')"/>
            </a>
            <xsl:if test="user">
              <span class="whoami" id="whoami">
                <span class="avatar" aria-hidden="true"><xsl:value-of select="substring(user/@name, 1, 1)"/></span>
                <span class="whoami-name"><xsl:value-of select="user/@name"/></span>
              </span>
              <form method="post" action="/cc/logout" class="logout">
                <input type="hidden" name="_csrf" value="{@csrf}"/>
                <button type="submit" class="btn btn-quiet" id="btn-logout">
                  <xsl:value-of select="i:t('nav.logout')"/>
                </button>
              </form>
            </xsl:if>
          </div>
        </header>
        <main id="main">
          <xsl:apply-templates select="." mode="main"/>
        </main>
        <div id="i18n" hidden="hidden">
          <xsl:for-each select="strings/s">
            <span data-k="{@k}"><xsl:value-of select="i:t(@k)"/></span>
          </xsl:for-each>
        </div>
        <xsl:apply-templates select="." mode="scripts"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="/page" mode="title"/>
  <!-- A page's own style sheets, after cc.css. -->
  <xsl:template match="/page" mode="head"/>
  <xsl:template match="/page" mode="main"/>
  <xsl:template match="/page" mode="scripts"/>

  <!-- An agent state as a badge. -->
  <xsl:template name="state-badge">
    <xsl:param name="state"/>
    <xsl:param name="reason"/>
    <span class="badge state-{$state}" data-state="{$state}">
      <xsl:value-of select="i:t(concat('state.', $state))"/>
      <xsl:if test="$state = 'not_ready' and string($reason)">
        <xsl:text> · </xsl:text>
        <xsl:value-of select="i:t(concat('reason.', $reason))"/>
      </xsl:if>
    </span>
  </xsl:template>

  <!-- The admin console's side navigation (/page/side, made by the app:
       the overview, then every admin resource). -->
  <xsl:template name="side-nav">
    <nav class="side" aria-label="{i:t('admin.sections')}">
      <xsl:for-each select="/page/side/item">
        <a href="{@href}" id="side-{@id}">
          <xsl:if test="@current"><xsl:attribute name="class">current</xsl:attribute>
            <xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
          <xsl:value-of select="i:t(@key)"/>
        </a>
      </xsl:for-each>
    </nav>
  </xsl:template>

  <!-- text with its "{}" replaced by value (catalogue strings such as
       "新建{}" / "New {}"). -->
  <xsl:template name="fill">
    <xsl:param name="text"/>
    <xsl:param name="value"/>
    <xsl:choose>
      <xsl:when test="contains($text, '{}')">
        <xsl:value-of select="concat(substring-before($text, '{}'), $value, substring-after($text, '{}'))"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="duration">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="string($s) = ''">—</xsl:when>
      <xsl:when test="$s &gt;= 60">
        <xsl:value-of select="floor($s div 60)"/>
        <xsl:text>:</xsl:text>
        <xsl:value-of select="format-number($s mod 60, '00')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text>0:</xsl:text>
        <xsl:value-of select="format-number($s, '00')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
