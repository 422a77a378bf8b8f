<?xml version="1.0" encoding="UTF-8"?>
<!-- 留言 (voicemail, fcgi-app/voicemail/): the messages the user may see,
     newest first, filtered by group and handled state; each with its
     player, a download and "mark handled". Everything comes from
     /page/voicemail (voicemail/list.c) and is escaped here. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:value-of select="i:t('voicemail.title')"/>
  </xsl:template>

  <xsl:template match="/page" mode="scripts"/>

  <xsl:template match="/page" mode="main">
    <xsl:variable name="vm" select="voicemail"/>
    <xsl:variable name="f" select="$vm/filter"/>
    <div class="console" id="voicemail">
      <xsl:if test="side"><xsl:call-template name="side-nav"/></xsl:if>
      <div class="console-main">
        <div class="page-head"><h1 id="voicemail-heading"><xsl:value-of select="i:t('voicemail.title')"/></h1></div>
        <xsl:if test="$vm/@done = 'handled'">
          <div id="voicemail-notice" class="banner banner-ok" role="status"><xsl:value-of select="i:t('voicemail.done.handled')"/></div>
        </xsl:if>
        <section class="panel">
          <form method="get" action="/cc/voicemail" class="res-search" id="voicemail-filter">
            <label for="vm-group"><xsl:value-of select="i:t('voicemail.group')"/></label>
            <select id="vm-group" name="group">
              <option value=""><xsl:value-of select="i:t('voicemail.all_groups')"/></option>
              <xsl:for-each select="$f/group">
                <option value="{@id}">
                  <xsl:if test="@id = $f/@group"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
                  <xsl:value-of select="."/>
                </option>
              </xsl:for-each>
            </select>
            <label for="vm-handled"><xsl:value-of select="i:t('voicemail.state')"/></label>
            <select id="vm-handled" name="handled">
              <option value=""><xsl:value-of select="i:t('voicemail.all_states')"/></option>
              <option value="0">
                <xsl:if test="$f/@handled = '0'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
                <xsl:value-of select="i:t('voicemail.open')"/>
              </option>
              <option value="1">
                <xsl:if test="$f/@handled = '1'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
                <xsl:value-of select="i:t('voicemail.handled')"/>
              </option>
            </select>
            <button type="submit" class="btn" id="voicemail-go"><xsl:value-of select="i:t('voicemail.filter')"/></button>
          </form>
          <table class="table" id="voicemail-list">
            <thead><tr>
              <th><xsl:value-of select="i:t('voicemail.caller')"/></th>
              <th><xsl:value-of select="i:t('voicemail.group')"/></th>
              <th><xsl:value-of select="i:t('voicemail.at')"/></th>
              <th><xsl:value-of select="i:t('voicemail.length')"/></th>
              <th><xsl:value-of select="i:t('voicemail.state')"/></th>
              <th><xsl:value-of select="i:t('voicemail.play')"/></th>
              <th class="actions"><xsl:value-of select="i:t('voicemail.actions')"/></th>
            </tr></thead>
            <tbody>
              <xsl:for-each select="$vm/messages/message">
                <tr data-id="{@id}" data-call="{@call_id}">
                  <td data-col="caller"><xsl:value-of select="@caller"/></td>
                  <td data-col="group"><xsl:value-of select="@group_name"/></td>
                  <td data-col="at" class="nowrap"><xsl:value-of select="@created_at"/></td>
                  <td data-col="length" data-value="{@duration_ms}">
                    <xsl:call-template name="fill">
                      <xsl:with-param name="text" select="i:t('voicemail.seconds')"/>
                      <xsl:with-param name="value" select="@seconds"/>
                    </xsl:call-template>
                  </td>
                  <td data-col="state">
                    <xsl:choose>
                      <xsl:when test="string(@handled_at)">
                        <span class="vm-handled"><xsl:value-of select="i:t('voicemail.handled')"/></span>
                        <div class="muted"><xsl:value-of select="@handled_name"/><xsl:text> </xsl:text><xsl:value-of select="@handled_at"/></div>
                      </xsl:when>
                      <xsl:otherwise><span class="vm-open"><xsl:value-of select="i:t('voicemail.open')"/></span></xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td data-col="play"><audio controls="controls" preload="none" class="vm-play" src="{@audio}"></audio></td>
                  <td class="actions">
                    <a class="btn btn-quiet btn-sm vm-download" href="{@download}"><xsl:value-of select="i:t('voicemail.download')"/></a>
                    <xsl:if test="not(string(@handled_at))">
                      <form method="post" action="{@handle}" class="vm-handle">
                        <input type="hidden" name="_csrf" value="{/page/@csrf}"/>
                        <button type="submit" class="btn btn-sm"><xsl:value-of select="i:t('voicemail.mark_handled')"/></button>
                      </form>
                    </xsl:if>
                  </td>
                </tr>
              </xsl:for-each>
              <xsl:if test="not($vm/messages/message)">
                <tr class="empty"><td colspan="7"><xsl:value-of select="i:t('voicemail.empty')"/></td></tr>
              </xsl:if>
            </tbody>
          </table>
          <nav class="pager" id="voicemail-pages" aria-label="{i:t('voicemail.pages')}" data-total="{$vm/messages/@total}">
            <span class="pager-info" id="voicemail-total">
              <xsl:call-template name="fill">
                <xsl:with-param name="text" select="i:t('voicemail.total')"/>
                <xsl:with-param name="value" select="$vm/messages/@total"/>
              </xsl:call-template>
            </span>
            <xsl:for-each select="$vm/pager/page | $vm/pager/gap">
              <xsl:choose>
                <xsl:when test="self::gap"><span class="pager-gap">…</span></xsl:when>
                <xsl:when test="@current"><span class="pager-page current" aria-current="page"><xsl:value-of select="@n"/></span></xsl:when>
                <xsl:otherwise><a class="pager-page" href="{@href}"><xsl:value-of select="@n"/></a></xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </nav>
        </section>
      </div>
    </div>
  </xsl:template>
</xsl:stylesheet>
