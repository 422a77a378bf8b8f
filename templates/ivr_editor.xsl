<?xml version="1.0" encoding="UTF-8"?>
<!-- 流程管理 > IVR流程 > a flow: the visual editor's shell (fcgi-app/ivr/
     editor.c). The page has the flow's id and name; ivr-editor.js loads
     the flow, the pickers' choices and the edit lock through the JSON API
     and draws the canvas (AntV X6, served from /cc/static/vendor/). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:value-of select="ivr-editor/@name"/>
    <xsl:text> · </xsl:text>
    <xsl:value-of select="i:t('ivred.title')"/>
  </xsl:template>

  <xsl:template match="/page" mode="head">
    <link rel="stylesheet" href="/cc/static/vendor/x6.css"/>
    <link rel="stylesheet" href="/cc/static/ivr-editor.css"/>
  </xsl:template>

  <xsl:template match="/page" mode="scripts">
    <script src="/cc/static/cc.js" defer="defer"></script>
    <script src="/cc/static/vendor/x6.min.js" defer="defer"></script>
    <script src="/cc/static/ivr-flow.js" defer="defer"></script>
    <script src="/cc/static/ivr-editor.js" defer="defer"></script>
  </xsl:template>

  <xsl:template match="/page" mode="main">
    <xsl:variable name="e" select="ivr-editor"/>
    <div class="ivr-editor" id="ivr-editor" data-id="{$e/@id}" data-api="{$e/@api}">
      <div class="ivr-bar">
        <a class="ivr-back" id="ivr-back" href="{$e/@list}"><xsl:value-of select="i:t('ivred.back')"/></a>
        <h1 id="ivr-name"><xsl:value-of select="$e/@name"/></h1>
        <span class="badge" id="ivr-state"></span>
        <span class="muted" id="ivr-version"></span>
        <span class="muted" id="ivr-dirty" hidden="hidden"><xsl:value-of select="i:t('ivred.unsaved')"/></span>
        <span class="ivr-bar-gap"></span>
        <button type="button" class="btn" id="ivr-undo" disabled="disabled" title="Ctrl+Z"><xsl:value-of select="i:t('ivred.undo')"/></button>
        <button type="button" class="btn" id="ivr-redo" disabled="disabled" title="Ctrl+Y"><xsl:value-of select="i:t('ivred.redo')"/></button>
        <button type="button" class="btn" id="ivr-validate"><xsl:value-of select="i:t('ivred.validate')"/></button>
        <button type="button" class="btn" id="ivr-sim-toggle"><xsl:value-of select="i:t('ivred.sim.title')"/></button>
        <a class="btn" id="ivr-export" href="{$e/@api}/flows/{$e/@id}/export"><xsl:value-of select="i:t('ivred.export')"/></a>
        <button type="button" class="btn" id="ivr-save" disabled="disabled"><xsl:value-of select="i:t('ivred.save')"/></button>
        <button type="button" class="btn btn-primary" id="ivr-publish" disabled="disabled"><xsl:value-of select="i:t('ivred.publish')"/></button>
      </div>
      <div class="banner banner-warn" id="ivr-lock" role="status" hidden="hidden"></div>
      <div class="banner" id="ivr-message" role="status" hidden="hidden"></div>
      <div class="ivr-body">
        <nav class="ivr-palette" id="ivr-palette" aria-label="{i:t('ivred.palette')}">
          <h2><xsl:value-of select="i:t('ivred.palette')"/></h2>
        </nav>
        <div class="ivr-canvas" id="ivr-canvas" tabindex="0"></div>
        <aside class="ivr-side">
          <section class="ivr-problems" id="ivr-problems-box" hidden="hidden">
            <h2><xsl:value-of select="i:t('ivred.problems')"/></h2>
            <ul id="ivr-problems"></ul>
          </section>
          <section class="ivr-sim" id="ivr-sim" hidden="hidden">
            <h2><xsl:value-of select="i:t('ivred.sim.title')"/></h2>
            <p class="muted"><xsl:value-of select="i:t('ivred.sim.hint')"/></p>
            <div class="ivr-sim-pad" id="ivr-sim-pad"></div>
            <div class="ivr-sim-buttons">
              <button type="button" class="btn" id="ivr-sim-timeout"><xsl:value-of select="i:t('ivred.sim.timeout')"/></button>
              <button type="button" class="btn" id="ivr-sim-http-ok"><xsl:value-of select="i:t('ivred.sim.http_ok')"/></button>
              <button type="button" class="btn" id="ivr-sim-http-error"><xsl:value-of select="i:t('ivred.sim.http_error')"/></button>
              <button type="button" class="btn" id="ivr-sim-http-timeout"><xsl:value-of select="i:t('ivred.sim.http_timeout')"/></button>
              <button type="button" class="btn" id="ivr-sim-queue-next"><xsl:value-of select="i:t('ivred.sim.queue_next')"/></button>
              <button type="button" class="btn" id="ivr-sim-queue-after"><xsl:value-of select="i:t('ivred.sim.queue_after')"/></button>
              <button type="button" class="btn" id="ivr-sim-recorded"><xsl:value-of select="i:t('ivred.sim.recorded')"/></button>
              <button type="button" class="btn" id="ivr-sim-hangup"><xsl:value-of select="i:t('ivred.sim.hangup')"/></button>
              <button type="button" class="btn btn-quiet" id="ivr-sim-start"><xsl:value-of select="i:t('ivred.sim.restart')"/></button>
            </div>
            <p class="muted"><xsl:value-of select="i:t('ivred.sim.events')"/><xsl:text> </xsl:text><span class="mono" id="ivr-sim-events"></span></p>
            <ol class="ivr-sim-log" id="ivr-sim-log"></ol>
          </section>
          <section class="ivr-props" id="ivr-props"></section>
        </aside>
      </div>
    </div>
  </xsl:template>
</xsl:stylesheet>
