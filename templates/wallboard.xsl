<?xml version="1.0" encoding="UTF-8"?>
<!-- 实时监控 (the wallboard, fcgi-app/wallboard/): the frame of the board
     for one skill group or the center, the scope's choice, full screen and
     the wall screen's layout (?kiosk=1), the service level's definition
     and the thresholds' form. The figures, agents and calls are drawn by
     wallboard.js (textContent only) from /cc/api/wallboard and the event
     stream. Everything from /page/wallboard is escaped here. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:value-of select="i:t('wallboard.title')"/>
  </xsl:template>

  <xsl:template match="/page" mode="head">
    <link rel="stylesheet" href="/cc/static/wallboard.css"/>
  </xsl:template>

  <xsl:template match="/page" mode="scripts">
    <script src="/cc/static/cc.js" defer="defer"></script>
    <script src="/cc/static/wallboard-state.js" defer="defer"></script>
    <script src="/cc/static/wallboard.js" defer="defer"></script>
  </xsl:template>

  <xsl:template name="figure">
    <xsl:param name="id"/>
    <xsl:param name="key"/>
    <div class="wb-fig" id="fig-{$id}" data-level="">
      <span class="wb-fig-label"><xsl:value-of select="i:t($key)"/></span>
      <span class="wb-fig-value mono" id="wb-{$id}">–</span>
    </div>
  </xsl:template>

  <xsl:template match="/page" mode="main">
    <xsl:variable name="wb" select="wallboard"/>
    <xsl:variable name="T" select="$wb/settings/setting[@name = 'sl_target_s']/@value"/>
    <div id="wallboard" data-group="{$wb/@group}" data-kiosk="{$wb/@kiosk}"
         data-listen="{number(string($wb/@kiosk) != '1')}">
      <xsl:attribute name="class">
        <xsl:text>console wallboard</xsl:text>
        <xsl:if test="$wb/@kiosk = '1'"> wb-kiosk</xsl:if>
      </xsl:attribute>
      <xsl:if test="side"><xsl:call-template name="side-nav"/></xsl:if>
      <div class="console-main">
        <div class="page-head wb-head">
          <h1 id="wallboard-heading">
            <xsl:value-of select="i:t('wallboard.title')"/>
            <xsl:text> · </xsl:text>
            <span id="wb-scope-name">
              <xsl:choose>
                <xsl:when test="$wb/@group != '0'"><xsl:value-of select="$wb/@group-name"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="i:t('wallboard.center')"/></xsl:otherwise>
              </xsl:choose>
            </span>
          </h1>
          <div class="wb-controls">
            <form method="get" action="/cc/wallboard" id="wb-scope">
              <xsl:if test="$wb/@kiosk = '1'"><input type="hidden" name="kiosk" value="1"/></xsl:if>
              <label for="wb-group"><xsl:value-of select="i:t('wallboard.scope')"/></label>
              <select id="wb-group" name="group">
                <option value=""><xsl:value-of select="i:t('wallboard.center')"/></option>
                <xsl:for-each select="$wb/groups/group">
                  <option value="{@id}">
                    <xsl:if test="@current"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
                    <xsl:value-of select="."/>
                  </option>
                </xsl:for-each>
              </select>
              <button type="submit" class="btn btn-quiet" id="wb-scope-go"><xsl:value-of select="i:t('wallboard.show')"/></button>
            </form>
            <button type="button" class="btn" id="wb-fullscreen"><xsl:value-of select="i:t('wallboard.fullscreen')"/></button>
            <xsl:variable name="g">
              <xsl:if test="$wb/@group != '0'"><xsl:value-of select="concat('group=', $wb/@group, '&amp;')"/></xsl:if>
            </xsl:variable>
            <xsl:choose>
              <xsl:when test="$wb/@kiosk = '1'">
                <a class="btn btn-quiet" id="wb-kiosk-link" href="/cc/wallboard?{$g}"><xsl:value-of select="i:t('wallboard.kiosk_exit')"/></a>
              </xsl:when>
              <xsl:otherwise>
                <a class="btn btn-quiet" id="wb-kiosk-link" href="/cc/wallboard?{$g}kiosk=1"><xsl:value-of select="i:t('wallboard.kiosk')"/></a>
              </xsl:otherwise>
            </xsl:choose>
          </div>
        </div>
        <xsl:if test="$wb/@saved">
          <div id="wb-notice" class="banner wb-ok" role="status"><xsl:value-of select="i:t('wallboard.saved')"/></div>
        </xsl:if>
        <xsl:if test="$wb/@settings-error">
          <div id="wb-settings-error" class="alert alert-error" role="alert">
            <xsl:call-template name="fill">
              <xsl:with-param name="text" select="i:t('wallboard.invalid')"/>
              <xsl:with-param name="value" select="i:t(concat('wallboard.set.', $wb/@settings-error))"/>
            </xsl:call-template>
          </div>
        </xsl:if>
        <div id="wb-b2bua" class="banner banner-warn" role="alert" hidden="hidden"><xsl:value-of select="i:t('wallboard.b2bua_down')"/></div>
        <div id="wb-stale" class="banner banner-warn" role="alert" hidden="hidden"><xsl:value-of select="i:t('wallboard.stale')"/></div>

        <section class="wb-figures" id="wb-figures" aria-live="polite">
          <xsl:call-template name="figure"><xsl:with-param name="id">waiting</xsl:with-param><xsl:with-param name="key">wallboard.waiting</xsl:with-param></xsl:call-template>
          <xsl:call-template name="figure"><xsl:with-param name="id">longest</xsl:with-param><xsl:with-param name="key">wallboard.longest</xsl:with-param></xsl:call-template>
          <xsl:call-template name="figure"><xsl:with-param name="id">sl</xsl:with-param><xsl:with-param name="key">wallboard.sl</xsl:with-param></xsl:call-template>
          <xsl:call-template name="figure"><xsl:with-param name="id">answered</xsl:with-param><xsl:with-param name="key">wallboard.answered</xsl:with-param></xsl:call-template>
          <xsl:call-template name="figure"><xsl:with-param name="id">abandoned</xsl:with-param><xsl:with-param name="key">wallboard.abandoned</xsl:with-param></xsl:call-template>
          <xsl:call-template name="figure"><xsl:with-param name="id">no_agent</xsl:with-param><xsl:with-param name="key">wallboard.no_agent</xsl:with-param></xsl:call-template>
        </section>

        <div class="wb-columns">
          <section class="panel wb-agents">
            <h2><xsl:value-of select="i:t('wallboard.agents')"/></h2>
            <ul class="wb-counts" id="wb-agent-counts">
              <xsl:for-each select="/page/strings/s[starts-with(@k, 'state.') and @k != 'state.unknown']">
                <li data-state="{substring-after(@k, 'state.')}"><span class="badge state-{substring-after(@k, 'state.')}"><xsl:value-of select="i:t(@k)"/></span><xsl:text> </xsl:text><span class="wb-count mono">0</span><xsl:if test="@k = 'state.not_ready'"><xsl:text> </xsl:text><span class="wb-reasons muted"></span></xsl:if></li>
              </xsl:for-each>
            </ul>
            <ul class="wb-tiles" id="wb-agent-list"></ul>
          </section>
          <section class="panel wb-calls">
            <h2><xsl:value-of select="i:t('wallboard.calls')"/></h2>
            <table class="table" id="wb-calls">
              <thead><tr>
                <th><xsl:value-of select="i:t('wallboard.col.caller')"/></th>
                <th><xsl:value-of select="i:t('wallboard.col.group')"/></th>
                <th><xsl:value-of select="i:t('wallboard.col.state')"/></th>
                <th><xsl:value-of select="i:t('wallboard.col.agent')"/></th>
                <th class="num"><xsl:value-of select="i:t('wallboard.col.duration')"/></th>
                <th><xsl:value-of select="i:t('wallboard.col.listen')"/></th>
              </tr></thead>
              <tbody></tbody>
            </table>
            <p id="wb-listen-status" class="muted" role="status"></p>
          </section>
        </div>

        <xsl:if test="$wb/@group = '0'">
          <section class="panel wb-groups">
            <h2><xsl:value-of select="i:t('wallboard.groups')"/></h2>
            <table class="table" id="wb-groups">
              <thead><tr>
                <th><xsl:value-of select="i:t('wallboard.col.group')"/></th>
                <th class="num"><xsl:value-of select="i:t('wallboard.waiting')"/></th>
                <th class="num"><xsl:value-of select="i:t('wallboard.longest')"/></th>
                <th class="num"><xsl:value-of select="i:t('wallboard.sl')"/></th>
                <th class="num"><xsl:value-of select="i:t('wallboard.answered')"/></th>
                <th class="num"><xsl:value-of select="i:t('wallboard.abandoned')"/></th>
              </tr></thead>
              <tbody></tbody>
            </table>
          </section>
        </xsl:if>

        <p class="muted wb-def" id="wb-sl-def">
          <xsl:call-template name="fill">
            <xsl:with-param name="text" select="i:t('wallboard.sl_def')"/>
            <xsl:with-param name="value" select="$T"/>
          </xsl:call-template>
        </p>

        <xsl:if test="not($wb/@kiosk = '1') and /page/user/@admin = '1'">
          <details class="panel wb-settings" id="wb-settings">
            <xsl:if test="$wb/@settings-error"><xsl:attribute name="open">open</xsl:attribute></xsl:if>
            <summary><xsl:value-of select="i:t('wallboard.settings')"/></summary>
            <form method="post" action="/cc/wallboard/settings" id="wb-settings-form" class="wb-settings-form">
              <input type="hidden" name="_csrf" value="{/page/@csrf}"/>
              <input type="hidden" name="group" value="{$wb/@group}"/>
              <xsl:for-each select="$wb/settings/setting">
                <label for="set-{@name}"><xsl:value-of select="i:t(concat('wallboard.set.', @name))"/></label>
                <input type="number" id="set-{@name}" name="{@name}" value="{@value}" min="{@min}" max="{@max}" step="1" required="required">
                  <xsl:if test="@name = $wb/@settings-error"><xsl:attribute name="aria-invalid">true</xsl:attribute></xsl:if>
                </input>
              </xsl:for-each>
              <button type="submit" class="btn" id="wb-settings-save"><xsl:value-of select="i:t('wallboard.save')"/></button>
            </form>
          </details>
        </xsl:if>
      </div>
    </div>
  </xsl:template>
</xsl:stylesheet>
